using CityTwin.Silo;

namespace CityTwin.Bench;

/// <summary>
/// A grain with no persistent state and one int field, so the runtime benchmarks measure the runtime (proxy, mailbox,
/// scheduler, completion) rather than grain code. Both methods complete synchronously, as most twin grain calls do.
/// </summary>
public sealed class RuntimeBenchGrain : Grain, IRuntimeBenchGrain
{
    private int _sum;

    /// <inheritdoc />
    public Task<int> PingAsync(int x) => Task.FromResult(x + 1);

    /// <inheritdoc />
    public Task TellAsync(int x)
    {
        _sum += x;
        return Task.CompletedTask;
    }
}
