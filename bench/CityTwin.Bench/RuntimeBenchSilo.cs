using System.Net;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Serialization;

namespace CityTwin.Bench;

/// <summary>Which silo a runtime benchmark runs <see cref="RuntimeBenchGrain"/> on.</summary>
public enum BenchSiloKind
{
    /// <summary>
    /// A bare Orleans silo: localhost clustering on a free port, no gateway, memory grain storage as default, Orleans'
    /// defaults for everything else. The reference the runtime's throughput target is measured against.
    /// </summary>
    Bare,

    /// <summary>
    /// CityTwin's configured silo as the live server runs it: <see cref="EmbeddedSilo"/> (SiloSetup.UseCityTwin: limits,
    /// collection, store, event log, feeds, statistics) over a memory <see cref="SiloStore"/>, with the twin's grains and
    /// services (AddTwin), on system time, so without the quiescence tracking of forks and tests.
    /// </summary>
    CityTwin,
}

/// <summary>
/// One started silo of either <see cref="BenchSiloKind"/> with <see cref="RuntimeBenchGrain"/> and a
/// <see cref="RuntimeBenchCounter"/> of its own. Both are hosted the same way (an empty host application builder, no
/// logging providers, calls made through the silo's own grain factory), so the two differ only in how Orleans is configured.
/// </summary>
public sealed class RuntimeBenchSilo : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly EmbeddedSilo? _embedded;

    private RuntimeBenchSilo(BenchSiloKind kind, IServiceProvider services, IHost? host, EmbeddedSilo? embedded)
    {
        Kind = kind;
        Services = services;
        _host = host;
        _embedded = embedded;
        GrainFactory = services.GetRequiredService<IGrainFactory>();
        Counter = services.GetRequiredService<RuntimeBenchCounter>();
    }

    /// <summary>The kind of silo.</summary>
    public BenchSiloKind Kind { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The silo's grain factory (the hosted client's calls, as the API's endpoints make them).</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The silo's activation and one-way message counter.</summary>
    public RuntimeBenchCounter Counter { get; }

    /// <summary>Starts a silo of <paramref name="kind"/> on free loopback ports with a cluster id of its own.</summary>
    public static async Task<RuntimeBenchSilo> StartAsync(BenchSiloKind kind)
    {
        string id = $"runtime-bench-{Guid.NewGuid():N}"[..26];
        if (kind == BenchSiloKind.CityTwin)
        {
            var options = new SiloOptions { Name = id, ClusterId = id };
            EmbeddedSilo silo = await EmbeddedSilo.StartAsync(SiloStore.CreateMemory(), options, builder =>
            {
                builder.AddTwin();
                AddBenchGrain(builder);
            }, ownsStore: true);
            return new RuntimeBenchSilo(kind, silo.Services, null, silo);
        }

        // The same host kind as EmbeddedSilo's (empty builder, no logging providers), so only Orleans' configuration differs.
        HostApplicationBuilder host = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        host.Logging.ClearProviders();
        host.UseOrleans(builder =>
        {
            int port = SiloSetup.FreeLoopbackPort();
            builder.UseLocalhostClustering(port, 0, new IPEndPoint(IPAddress.Loopback, port), "runtime-bench", id);
            builder.AddMemoryGrainStorageAsDefault();
            AddBenchGrain(builder);
        });
        IHost started = host.Build();
        try
        {
            await started.StartAsync();
        }
        catch
        {
            started.Dispose();
            throw;
        }

        return new RuntimeBenchSilo(kind, started.Services, started, null);
    }

    /// <summary>Stops the silo.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.StopAndDisposeAsync();
        }
    }

    /// <summary>
    /// Activates <paramref name="grains"/> grains (keys 0..n-1) with one awaited call each, at most
    /// <paramref name="inFlight"/> at a time: firing a very large number of first calls at once can run past the response
    /// timeout (shared/STACK.md).
    /// </summary>
    public async Task ActivateAsync(int grains, int inFlight = 5_000)
    {
        int next = -1;
        IGrainFactory factory = GrainFactory;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(inFlight, grains)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < grains)
            {
                await factory.GetGrain<IRuntimeBenchGrain>(i).PingAsync(i);
            }
        })));
    }

    private static void AddBenchGrain(ISiloBuilder builder)
    {
        builder.Services.AddSingleton<RuntimeBenchCounter>();

        // BenchmarkDotNet's child process has a generated entry assembly; name the bench assembly (its grain, its
        // generated proxies) explicitly rather than rely on Orleans finding it through the entry assembly's references.
        builder.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(RuntimeBenchGrain).Assembly));
    }
}
