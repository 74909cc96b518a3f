using Orleans.Concurrency;

namespace CityTwin.Bench;

/// <summary>The grain interface of the runtime benchmarks: one awaited call and one one-way call, both trivial.</summary>
public interface IRuntimeBenchGrain : IGrainWithIntegerKey
{
    /// <summary>An awaited round trip: returns <paramref name="x"/> + 1.</summary>
    Task<int> PingAsync(int x);

    /// <summary>A fire-and-forget message: adds <paramref name="x"/> to a sum and counts the message in the silo's <see cref="RuntimeBenchCounter"/>.</summary>
    [OneWay]
    Task TellAsync(int x);
}
