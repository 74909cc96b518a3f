using BenchmarkDotNet.Attributes;

namespace CityTwin.Bench;

/// <summary>
/// Cross-silo against in-silo grain calls, in the same run: two Orleans silos of one cluster in one process
/// (<see cref="ClusterBenchSilos"/>); the callers use the first silo's grain factory and call either grains activated on
/// that silo (the baseline) or grains activated on the second, so every call and its answer cross a loopback socket.
/// Each case starts both silos, so both cases run with the same two silos present. Reported per call
/// (OperationsPerInvoke): calls/s = 1e9 / Median[ns]; the Ratio column is the cross-silo time per call over the in-silo one.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ClusterBenchmarks
{
    private const int Calls = 50_000;
    private const int Grains = 1_000;

    private ClusterBenchSilos? _silos;
    private IClusterBenchGrain[] _local = [];
    private IClusterBenchGrain[] _remote = [];

    /// <summary>Concurrent callers, each an awaiting loop with one call in flight.</summary>
    [Params(16, 256)]
    public int Concurrency { get; set; }

    /// <summary>Starts the two silos and activates <see cref="Grains"/> grains on each.</summary>
    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await a Task-returning setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Stops the silos.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _silos?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _silos = null;
    }

    /// <summary>Awaited calls from the first silo's client to grains on the first silo.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public Task InSilo() => CallsAsync(_local);

    /// <summary>Awaited calls from the first silo's client to grains on the second silo.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task CrossSilo() => CallsAsync(_remote);

    private async Task SetupAsync()
    {
        _silos = await ClusterBenchSilos.StartAsync();
        _local = await ClusterBenchSilos.ActivateAsync(_silos.Caller, 0, Grains);
        IClusterBenchGrain[] onOther = await ClusterBenchSilos.ActivateAsync(_silos.Other, Grains, Grains);

        // The same grains, called through the first silo's factory.
        _remote = [.. onOther.Select(g => _silos.Caller.GetGrain<IClusterBenchGrain>(g.GetPrimaryKeyLong()))];
        string here = await _local[0].SiloAsync(), there = await _remote[0].SiloAsync();
        if (here == there)
        {
            throw new InvalidOperationException($"the remote grains live on the caller's silo ({here})");
        }
    }

    private Task CallsAsync(IClusterBenchGrain[] grains) =>
        AwaitedCallLoops.RunAsync(grains, Concurrency, Calls, static (grain, i) => grain.PingAsync(i));
}
