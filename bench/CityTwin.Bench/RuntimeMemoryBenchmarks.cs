using BenchmarkDotNet.Attributes;

namespace CityTwin.Bench;

/// <summary>
/// Runtime memory per idle activation: the same <see cref="RuntimeBenchGrain"/> activated on a bare Orleans
/// silo (baseline) and on CityTwin's configured silo (see <see cref="BenchSiloKind"/>). Each invocation activates 100,000
/// grains in a fresh silo with one awaited call each (at most 5,000 in flight). Allocated (per activation, via
/// OperationsPerInvoke) is everything allocated to get there: reference, message, tasks, activation; an upper bound.
/// The retained figure is what stays reachable once every activation has answered and full compacting GCs have run:
/// GC.GetTotalMemory delta / 100,000, minus the size of the grain object itself (measured the same way with plain
/// allocations). It is printed after every iteration and summarised in GlobalCleanup as "RuntimeMemory: ..." lines in the
/// benchmark log, one summary per silo kind (each benchmark case runs in a process of its own).
/// </summary>
[MemoryDiagnoser]
public class RuntimeMemoryBenchmarks
{
    private const int Activations = 100_000;

    private readonly List<double> _retainedPerActivation = [];
    private RuntimeBenchSilo? _silo;
    private BenchSiloKind _kind;
    private long _before;
    private double _grainObjectBytes;

    /// <summary>Measures the size of a bare grain object with plain allocations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _grainObjectBytes = MeasurePlainGrainObject();
        Console.WriteLine($"RuntimeMemory: plain RuntimeBenchGrain object = {_grainObjectBytes:0.0} B");
    }

    /// <summary>A fresh, started bare Orleans silo and the retained-memory baseline.</summary>
    [IterationSetup(Target = nameof(ActivateIdleGrain_BareSilo))]
    public void IterationSetupBare() => StartSilo(BenchSiloKind.Bare);

    /// <summary>A fresh, started CityTwin silo and the retained-memory baseline.</summary>
    [IterationSetup(Target = nameof(ActivateIdleGrain_CityTwinSilo))]
    public void IterationSetupCityTwin() => StartSilo(BenchSiloKind.CityTwin);

    /// <summary>Activates 100,000 grains (one awaited call each) on a bare Orleans silo.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Activations)]
    public Task ActivateIdleGrain_BareSilo() => ActivateAsync();

    /// <summary>Activates 100,000 grains (one awaited call each) on CityTwin's silo.</summary>
    [Benchmark(OperationsPerInvoke = Activations)]
    public Task ActivateIdleGrain_CityTwinSilo() => ActivateAsync();

    /// <summary>Measures what the idle activations retain, then stops the silo.</summary>
    [IterationCleanup]
    public void IterationCleanup()
    {
        RuntimeBenchSilo silo = _silo!;
        long after = FullGcTotalMemory();
        GC.KeepAlive(silo);
        if (silo.Counter.Activations == Activations)
        {
            double perActivation = (after - _before) / (double)Activations;
            _retainedPerActivation.Add(perActivation);
            Console.WriteLine($"RuntimeMemory: {_kind} silo: retained {perActivation:0.0} B per activation, {perActivation - _grainObjectBytes:0.0} B beyond the grain object");
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
        Console.WriteLine($"RuntimeMemory: {_kind} silo: median of {sorted.Length} iterations: retained {median:0.0} B per idle activation; "
            + $"grain object {_grainObjectBytes:0.0} B; runtime {median - _grainObjectBytes:0.0} B per activation beyond the grain object");
    }

    private void StartSilo(BenchSiloKind kind)
    {
        _kind = kind;
        _silo = RuntimeBenchSilo.StartAsync(kind).GetAwaiter().GetResult();
        _before = FullGcTotalMemory();
    }

    private async Task ActivateAsync()
    {
        RuntimeBenchSilo silo = _silo!;
        await silo.ActivateAsync(Activations);
        if (silo.Counter.Activations != Activations)
        {
            throw new InvalidOperationException($"{silo.Counter.Activations} activations, expected {Activations}.");
        }
    }

    private static double MeasurePlainGrainObject()
    {
        var counter = new RuntimeBenchCounter();
        var grains = new RuntimeBenchGrain[Activations];
        long before = FullGcTotalMemory();
        for (int i = 0; i < grains.Length; i++)
        {
            grains[i] = new RuntimeBenchGrain(counter);
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
