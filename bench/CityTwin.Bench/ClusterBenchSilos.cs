using System.Net;
using CityTwin.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Serialization;

namespace CityTwin.Bench;

/// <summary>
/// Two bare Orleans silos of one cluster in this process, on loopback ports (localhost clustering, the second joining the
/// first), with <see cref="ClusterBenchGrain"/>: the messages between them go over real TCP sockets and Orleans' wire
/// serialization, as between the silos of a deployed cluster.
/// </summary>
public sealed class ClusterBenchSilos : IAsyncDisposable
{
    private readonly IHost[] _hosts;

    private ClusterBenchSilos(IHost[] hosts) => _hosts = hosts;

    /// <summary>The first silo's grain factory: the caller of every benchmark.</summary>
    public IGrainFactory Caller => _hosts[0].Services.GetRequiredService<IGrainFactory>();

    /// <summary>The second silo's grain factory.</summary>
    public IGrainFactory Other => _hosts[1].Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts the two silos and waits until both are active.</summary>
    public static async Task<ClusterBenchSilos> StartAsync()
    {
        string id = $"cluster-bench-{Guid.NewGuid():N}"[..26];
        int primary = SiloSetup.FreeLoopbackPort();
        var hosts = new List<IHost>();
        try
        {
            foreach (int port in (int[])[primary, SiloSetup.FreeLoopbackPort()])
            {
                HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                builder.Logging.ClearProviders();
                builder.UseOrleans(silo =>
                {
                    silo.UseLocalhostClustering(port, 0, new IPEndPoint(IPAddress.Loopback, primary), "cluster-bench", id);

                    // BenchmarkDotNet's child process has a generated entry assembly: name the bench assembly explicitly.
                    silo.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(ClusterBenchGrain).Assembly));
                });
                IHost host = builder.Build();
                hosts.Add(host);
                await host.StartAsync();
            }

            return new ClusterBenchSilos([.. hosts]);
        }
        catch
        {
            foreach (IHost host in hosts)
            {
                host.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Grains <paramref name="firstKey"/>.. (<paramref name="count"/> of them) activated on the silo of
    /// <paramref name="activator"/> (each first called from it); throws when any of them lives elsewhere.
    /// </summary>
    public static async Task<IClusterBenchGrain[]> ActivateAsync(IGrainFactory activator, long firstKey, int count)
    {
        IClusterBenchGrain[] grains = [.. Enumerable.Range(0, count).Select(i => activator.GetGrain<IClusterBenchGrain>(firstKey + i))];
        string[] silos = await Task.WhenAll(grains.Select(g => g.SiloAsync()));
        if (silos.Distinct(StringComparer.Ordinal).Count() != 1)
        {
            throw new InvalidOperationException($"grains {firstKey}.. were placed on {silos.Distinct(StringComparer.Ordinal).Count()} silos, not on their activator's");
        }

        return grains;
    }

    /// <summary>Stops both silos, the joiner first.</summary>
    public async ValueTask DisposeAsync()
    {
        for (int i = _hosts.Length - 1; i >= 0; i--)
        {
            await _hosts[i].StopAndDisposeAsync();
        }
    }
}
