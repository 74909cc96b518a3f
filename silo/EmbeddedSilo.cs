using CityTwin.Silo.Quiescence;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace CityTwin.Silo;

/// <summary>
/// An Orleans silo in a host of its own inside this process, configured by <see cref="SiloSetup.UseCityTwin"/>: what forks,
/// drills, sandboxes and tests run on (the live server instead puts the silo on its web host). Each has its own cluster
/// id and loopback ports, so several run side by side and none can reach another's grains. On a
/// <see cref="VirtualTimeProvider"/> it can be advanced: timers and reminders fire in due order and the silo settles after each.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsStore;
    private int _disposed;

    private EmbeddedSilo(IHost host, SiloStore store, SiloOptions options, VirtualTimeProvider? clock, bool ownsStore)
    {
        _host = host;
        Store = store;
        Options = options;
        Clock = clock;
        _ownsStore = ownsStore;
        GrainFactory = host.Services.GetRequiredService<IGrainFactory>();
    }

    /// <summary>The silo's services (grain factory, read model and the other per-silo services).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>References to the silo's grains.</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The store the silo's grain state, reminders and event log live in.</summary>
    public SiloStore Store { get; }

    /// <summary>The silo's settings.</summary>
    public SiloOptions Options { get; }

    /// <summary>The silo's virtual clock, or null when its grains run on system time.</summary>
    public VirtualTimeProvider? Clock { get; }

    /// <summary>The clock grains see.</summary>
    public TimeProvider TimeProvider => Clock ?? TimeProvider.System;

    /// <summary>
    /// Starts a silo over <paramref name="store"/>; <paramref name="configure"/> adds grains and services (e.g. the twin's).
    /// With <paramref name="ownsStore"/> the store is disposed with the silo.
    /// </summary>
    public static async Task<EmbeddedSilo> StartAsync(
        SiloStore store, SiloOptions options, Action<ISiloBuilder>? configure = null, VirtualTimeProvider? clock = null,
        ILoggerFactory? loggerFactory = null, bool ownsStore = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.UseOrleans(silo =>
        {
            silo.UseCityTwin(store, options, clock);
            configure?.Invoke(silo);
        });
        IHost host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            if (ownsStore)
            {
                await store.DisposeAsync();
            }

            throw;
        }

        return new EmbeddedSilo(host, store, options, clock, ownsStore);
    }

    /// <summary>Completes when nothing is in flight in the silo (only for a silo on a virtual clock with work tracking).</summary>
    public Task WaitForQuiescenceAsync(CancellationToken cancellationToken = default) =>
        Clock?.Tracker is { } tracker
            ? tracker.WaitForQuiescenceAsync(cancellationToken)
            : throw new InvalidOperationException($"Silo '{Options.Name}' does not track its work; only a silo on a VirtualTimeProvider with a WorkTracker can settle.");

    /// <summary>Advances the virtual clock by <paramref name="by"/>, settling after each timer that fires.</summary>
    public Task AdvanceTimeAsync(TimeSpan by, CancellationToken cancellationToken = default) =>
        Clock is { } clock
            ? clock.AdvanceAsync(by, Clock.Tracker is null ? null : WaitForQuiescenceAsync, cancellationToken)
            : throw new InvalidOperationException($"Silo '{Options.Name}' runs on system time; only a silo on a VirtualTimeProvider can be advanced.");

    /// <summary>Writes the changed state of every active write-behind grain; returns how many were written.</summary>
    public Task<int> CheckpointAsync(CancellationToken cancellationToken = default) => SiloCheckpoint.RunAsync(Services, SiloCheckpoint.AllAtOnce, cancellationToken);

    /// <summary>Statistics as Orleans reports them.</summary>
    public Task<SiloStatistics> GetStatisticsAsync() => Services.GetRequiredService<SiloStatisticsReader>().ReadAsync();

    /// <summary>Stops the silo gracefully: every grain deactivates and writes its changed state.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <summary>Stops the silo if needed and releases it (and the store, if owned).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _host.StopAndDisposeAsync();
        }
        finally
        {
            if (_ownsStore)
            {
                await Store.DisposeAsync();
            }
        }
    }
}
