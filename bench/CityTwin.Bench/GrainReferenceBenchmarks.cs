using BenchmarkDotNet.Attributes;
using CityTwin.Grains.Twin;

namespace CityTwin.Bench;

/// <summary>
/// The cost of making a sensor grain's reference from its key, as the telemetry ingest does for every grain of every
/// batch: Orleans' <c>GetGrain&lt;T&gt;(string)</c> (the baseline) against <see cref="GrainsByKey{TGrain}"/>, which resolves
/// the grain and interface types once. Per reference (OperationsPerInvoke); no call is made.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainReferenceBenchmarks
{
    private const int Keys = 1_000;

    private readonly string[] _keys = [.. Enumerable.Range(0, Keys).Select(i => $"s{i}")];
    private RuntimeBenchSilo? _silo;
    private GrainsByKey<ISensorGrain>? _byKey;

    /// <summary>Starts CityTwin's silo (its grain factory knows the twin's grains).</summary>
    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await a Task-returning setup.
    [GlobalSetup]
    public void Setup()
    {
        _silo = RuntimeBenchSilo.StartAsync(BenchSiloKind.CityTwin).GetAwaiter().GetResult();
        _byKey = new GrainsByKey<ISensorGrain>(_silo.GrainFactory);
    }

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Cleanup() => _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Orleans' GetGrain by string key.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Keys)]
    public int GetGrain()
    {
        IGrainFactory grains = _silo!.GrainFactory;
        int n = 0;
        foreach (string key in _keys)
        {
            n += grains.GetGrain<ISensorGrain>(key).GetHashCode() & 1;
        }

        return n;
    }

    /// <summary>The same references through <see cref="GrainsByKey{TGrain}"/>.</summary>
    [Benchmark(OperationsPerInvoke = Keys)]
    public int GrainsByKey()
    {
        int n = 0;
        foreach (string key in _keys)
        {
            n += _byKey!.Get(key).GetHashCode() & 1;
        }

        return n;
    }
}
