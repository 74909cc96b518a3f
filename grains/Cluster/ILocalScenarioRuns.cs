namespace CityTwin.Grains.Cluster;

/// <summary>
/// The scenario runs this silo's process holds (runs live where they were started: their forks run there), as the API
/// shows them, in JSON, so that another silo of the cluster can answer for them through <see cref="ITwinReplicaService"/>.
/// </summary>
public interface ILocalScenarioRuns
{
    /// <summary>The run <paramref name="id"/> with its result, as JSON, or null when this silo holds no such run.</summary>
    byte[]? Get(string id);

    /// <summary>This silo's runs without their results, as a JSON array.</summary>
    byte[] List();
}
