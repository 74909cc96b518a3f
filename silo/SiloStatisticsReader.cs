using System.Diagnostics;
using CityTwin.Silo.Storage;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Silo;

/// <summary>Reads <see cref="SiloStatistics"/> from Orleans' management grain for this silo.</summary>
public sealed class SiloStatisticsReader(IGrainFactory grains, ILocalSiloDetails silo, SiloOptions options, SiloStore store)
{

    /// <summary>The silo's current statistics.</summary>
    public async Task<SiloStatistics> ReadAsync()
    {
        SiloRuntimeStatistics[] stats = await grains.GetGrain<IManagementGrain>(0).GetRuntimeStatistics([silo.SiloAddress]);
        SiloRuntimeStatistics s = stats[0];
        StorageStatistics log = store.EventLog.Statistics;
        return new SiloStatistics(
            options.Name, silo.SiloAddress.ToString(), DateTime.UtcNow - Process.GetCurrentProcess().StartTime.ToUniversalTime(), s.ActivationCount, s.RecentlyUsedActivationCount,
            s.ReceivedMessages, s.SentMessages, s.IsOverloaded, Environment.WorkingSet, log.Writes, log.Failures);
    }
}
