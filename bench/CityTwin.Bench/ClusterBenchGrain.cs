using Orleans.Placement;

namespace CityTwin.Bench;

/// <summary>
/// A stateless grain activated on the silo of its first caller (<see cref="PreferLocalPlacementAttribute"/>), so a
/// benchmark decides which silo each grain lives on by which silo's client calls it first.
/// </summary>
[GrainType("cluster-bench")]
[PreferLocalPlacement]
public sealed class ClusterBenchGrain : Grain, IClusterBenchGrain
{
    /// <inheritdoc />
    public Task<int> PingAsync(int x) => Task.FromResult(x + 1);

    /// <inheritdoc />
    public Task<string> SiloAsync() => Task.FromResult(RuntimeIdentity);
}
