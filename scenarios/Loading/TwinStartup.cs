using System.Diagnostics;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Cluster;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Loading;

/// <summary>
/// Brings a started twin silo up, the same way for the live server, forks, sandboxes and tests: when a district is
/// stored it rebuilds the read model and the case list from the stored states (no grain is activated) and lists the
/// recent alerts of the event log again; otherwise it loads the district <paramref name="districtToLoad"/> gives, if
/// any. Then it starts the case intake and the monitor that looks for silent sensors and idle water meters. A silo
/// joining a cluster restores the same way, after the running silos wrote their changed states, and then applies the
/// changes they sent meanwhile.
/// </summary>
public static class TwinStartup
{
    /// <summary>Restores or loads the twin of the silo whose services are <paramref name="services"/>.</summary>
    public static async Task<TwinStartupResult> RunAsync(
        IServiceProvider services, IStoredStateReader states, Func<CancellationToken, Task<District.District>>? districtToLoad = null,
        IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(states);
        var watch = Stopwatch.StartNew();
        IGrainFactory grains = services.GetRequiredService<IGrainFactory>();
        DistrictMeta? meta = await grains.GetGrain<ITwinMetaGrain>("current").GetAsync();
        TwinStartupResult result;
        TwinReplica replica = services.GetRequiredService<TwinReplica>();
        if (meta is not null)
        {
            if (services.GetRequiredService<SiloClusterOptions>().IsClustered)
            {
                // Joining a running cluster: its silos write what their grains changed since their last checkpoint, so the
                // stored states this silo restores from are as recent as the changes it receives from them from now on.
                // Few calls at a time: the running silos are serving meanwhile.
                await SiloCheckpoint.RunAsync(services, SiloCheckpoint.LiveInFlight, cancellationToken);
            }

            int restored = await TwinRestorer.RestoreAsync(services, states, meta, cancellationToken);

            // Before the replay: an input replayed after a crash raises its alert again, and the bus then knows it.
            await services.GetRequiredService<AlertBus>().RestoreAsync(cancellationToken);
            long replayed = await TwinRecovery.ReplayAsync(services, cancellationToken);
            int cases = await CaseLoop.StartAsync(services, states, cancellationToken);
            replica.Open();
            result = new TwinStartupResult(meta.Name, Loaded: false, restored, cases, watch.Elapsed, replayed);
        }
        else if (districtToLoad is not null)
        {
            District.District district = await districtToLoad(cancellationToken);
            LoadReport report = await DistrictLoader.LoadAsync(services, district, progress, cancellationToken);
            await CaseLoop.StartAsync(services, null, cancellationToken);
            replica.Open();
            result = new TwinStartupResult(district.Name, Loaded: true, report.Total, 0, watch.Elapsed);
        }
        else
        {
            await CaseLoop.StartAsync(services, null, cancellationToken);
            replica.Open();
            return new TwinStartupResult(null, Loaded: false, 0, 0, watch.Elapsed);
        }

        await grains.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();
        return result;
    }
}
