using BenchmarkDotNet.Attributes;
using CityTwin.Silo;

namespace CityTwin.Bench;

/// <summary>
/// Runtime memory per idle activation (issue 2, target &lt;= 1 KB beyond the grain's own state). Each invocation
/// activates 100,000 stateless <see cref="RuntimeBenchGrain"/>s in a fresh silo with one awaited call each.
/// Allocated (per activation, via OperationsPerInvoke) is everything allocated to get there: proxy, request, tasks,
/// activation; an upper bound. The retained figure is what stays reachable once the silo is quiescent and a full
/// compacting GC has run: GC.GetTotalMemory delta / 100,000 minus the size of the grain object itself (measured the
/// same way with plain allocations). It is printed after every iteration and summarised in GlobalCleanup as
/// "RuntimeMemory: ..." lines in the benchmark log.
/// </summary>
[MemoryDiagnoser]
public class RuntimeMemoryBenchmarks
{
    private const int Activations = 100_000;

    private readonly List<double> _retainedPerActivation = [];
    private Silo.Silo? _silo;
    private long _before;
    private double _grainObjectBytes;

    /// <summary>Measures the size of a bare grain object with plain allocations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _grainObjectBytes = MeasurePlainGrainObject();
        Console.WriteLine($"RuntimeMemory: plain RuntimeBenchGrain object = {_grainObjectBytes:0.0} B");
    }

    /// <summary>A fresh, started silo and the retained-memory baseline.</summary>
    [IterationSetup]
    public void IterationSetup()
    {
        _silo = new SiloBuilder().AddGrain<RuntimeBenchGrain>().Build();
        _silo.StartAsync().GetAwaiter().GetResult();
        _before = FullGcTotalMemory();
    }

    /// <summary>Activates 100,000 grains (one awaited call each) and waits for quiescence.</summary>
    [Benchmark(OperationsPerInvoke = Activations)]
    public async Task ActivateIdleGrain()
    {
        Silo.Silo silo = _silo!;
        var calls = new Task<int>[Activations];
        for (int i = 0; i < Activations; i++)
        {
            calls[i] = silo.GrainFactory.GetGrain<IRuntimeBenchGrain>(i).PingAsync(i);
        }

        await Task.WhenAll(calls);
        await silo.WaitForQuiescenceAsync();
        if (silo.ActivationCount != Activations)
        {
            throw new InvalidOperationException($"{silo.ActivationCount} activations, expected {Activations}.");
        }
    }

    /// <summary>Measures what the idle activations retain, then stops the silo.</summary>
    [IterationCleanup]
    public void IterationCleanup()
    {
        Silo.Silo silo = _silo!;
        long after = FullGcTotalMemory();
        GC.KeepAlive(silo);
        if (silo.ActivationCount == Activations)
        {
            double perActivation = (after - _before) / (double)Activations;
            _retainedPerActivation.Add(perActivation);
            Console.WriteLine($"RuntimeMemory: retained {perActivation:0.0} B per activation, {perActivation - _grainObjectBytes:0.0} B beyond the grain object");
        }

        silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _silo = null;
    }

    /// <summary>Prints the median retained memory per idle activation.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_retainedPerActivation.Count == 0)
        {
            return;
        }

        double[] sorted = [.. _retainedPerActivation.Order()];
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        Console.WriteLine($"RuntimeMemory: median of {sorted.Length} iterations: retained {median:0.0} B per idle activation; "
            + $"grain object {_grainObjectBytes:0.0} B; runtime {median - _grainObjectBytes:0.0} B per activation beyond the grain object (target <= 1024 B)");
    }

    private static double MeasurePlainGrainObject()
    {
        var grains = new RuntimeBenchGrain[Activations];
        long before = FullGcTotalMemory();
        for (int i = 0; i < grains.Length; i++)
        {
            grains[i] = new RuntimeBenchGrain();
        }

        long after = FullGcTotalMemory();
        GC.KeepAlive(grains);
        return (after - before) / (double)Activations;
    }

    private static long FullGcTotalMemory()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
