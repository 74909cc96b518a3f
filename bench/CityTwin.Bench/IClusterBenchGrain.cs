namespace CityTwin.Bench;

/// <summary>The grain interface of the cluster benchmarks: a trivial awaited call, and where the activation lives.</summary>
public interface IClusterBenchGrain : IGrainWithIntegerKey
{
    /// <summary>An awaited round trip: returns <paramref name="x"/> + 1.</summary>
    Task<int> PingAsync(int x);

    /// <summary>The address of the silo the activation lives on.</summary>
    Task<string> SiloAsync();
}
