using Orleans;
using Orleans.Services;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// The twin's service on every silo of a cluster (an Orleans grain service, addressed by silo): it takes the read-model
/// changes of the other silos, tells the silo that moves the replay mark how far this silo's ingest is applied, and
/// answers for the scenario runs started through this silo.
/// </summary>
[Alias("CityTwin.Grains.Cluster.ITwinReplicaService")]
public interface ITwinReplicaService : IGrainService
{
    /// <summary>Applies another silo's changes to this silo's read model and pushes them to this silo's hub clients.</summary>
    [Alias("Apply")]
    Task ApplyAsync(TwinReplicaBatch batch);

    /// <summary>This silo's delivery low for the replay mark, or null when its ingest holds no mark back.</summary>
    [Alias("GetClusterLow")]
    Task<long?> GetClusterLowAsync();

    /// <summary>Tells this silo the replay mark moved up to <paramref name="mark"/>.</summary>
    [Alias("RaiseMark")]
    Task RaiseMarkAsync(long mark);

    /// <summary>The scenario run <paramref name="id"/> started through this silo, as the API shows it (JSON), or null.</summary>
    [Alias("GetScenarioRun")]
    Task<byte[]?> GetScenarioRunAsync(string id);

    /// <summary>The scenario runs started through this silo, without results, as a JSON array.</summary>
    [Alias("ListScenarioRuns")]
    Task<byte[]> ListScenarioRunsAsync();
}
