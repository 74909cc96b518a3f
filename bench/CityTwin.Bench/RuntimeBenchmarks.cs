using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace CityTwin.Bench;

/// <summary>
/// Grain runtime throughput: the same <see cref="RuntimeBenchGrain"/> on a bare Orleans silo (the baseline of
/// each category) and on CityTwin's configured silo (see <see cref="BenchSiloKind"/>), measured in the same run. Each
/// benchmark case starts only its own silo, activates <see cref="Grains"/> grains in setup, then
/// <see cref="Concurrency"/> callers spread over the grains. Every benchmark reports per call or message
/// (OperationsPerInvoke), so calls/s = 1e9 / Median[ns], and the Ratio column is CityTwin's time per call over the bare
/// silo's for the same category and parameters. Target: awaited calls/s on CityTwin's silo at least 90 % of the bare
/// silo's, i.e. Ratio &lt;= 1.11 in the Awaited rows.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RuntimeBenchmarks
{
    private const int AwaitedCalls = 100_000;
    private const int OneWayMessages = 200_000;
    private static readonly TimeSpan OneWayTimeout = TimeSpan.FromSeconds(60);

    private RuntimeBenchSilo? _silo;
    private IRuntimeBenchGrain[] _grains = [];

    /// <summary>Concurrent callers: awaiting loops with one call in flight each, or one-way senders.</summary>
    [Params(16, 64, 256)]
    public int Concurrency { get; set; }

    /// <summary>Activated grains the callers spread over.</summary>
    [Params(1_000, 10_000)]
    public int Grains { get; set; }

    /// <summary>Starts a bare Orleans silo and activates the grains.</summary>
    // Synchronous on purpose: BenchmarkDotNet's in-process toolchain does not await a Task-returning setup.
    [GlobalSetup(Targets = [nameof(AwaitedCall_BareSilo), nameof(OneWay_BareSilo)])]
    public void SetupBare() => SetupAsync(BenchSiloKind.Bare).GetAwaiter().GetResult();

    /// <summary>Starts CityTwin's silo and activates the grains.</summary>
    [GlobalSetup(Targets = [nameof(AwaitedCall_CityTwinSilo), nameof(OneWay_CityTwinSilo)])]
    public void SetupCityTwin() => SetupAsync(BenchSiloKind.CityTwin).GetAwaiter().GetResult();

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _silo = null;
    }

    /// <summary>Awaited PingAsync calls on a bare Orleans silo.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = AwaitedCalls)]
    [BenchmarkCategory("Awaited")]
    public Task AwaitedCall_BareSilo() => AwaitedCallsAsync();

    /// <summary>Awaited PingAsync calls on CityTwin's silo.</summary>
    [Benchmark(OperationsPerInvoke = AwaitedCalls)]
    [BenchmarkCategory("Awaited")]
    public Task AwaitedCall_CityTwinSilo() => AwaitedCallsAsync();

    /// <summary>One-way TellAsync messages on a bare Orleans silo, until the grains have handled all of them.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = OneWayMessages)]
    [BenchmarkCategory("OneWay")]
    public Task OneWay_BareSilo() => OneWayMessagesAsync();

    /// <summary>One-way TellAsync messages on CityTwin's silo, until the grains have handled all of them.</summary>
    [Benchmark(OperationsPerInvoke = OneWayMessages)]
    [BenchmarkCategory("OneWay")]
    public Task OneWay_CityTwinSilo() => OneWayMessagesAsync();

    private Task AwaitedCallsAsync() =>
        AwaitedCallLoops.RunAsync(_grains, Concurrency, AwaitedCalls, static (grain, i) => grain.PingAsync(i));

    private async Task OneWayMessagesAsync()
    {
        RuntimeBenchCounter counter = _silo!.Counter;
        Task handled = counter.Expect(OneWayMessages);
        var senders = new Task<int>[Concurrency];
        int stride = Math.Max(1, _grains.Length / Concurrency);
        for (int j = 0; j < senders.Length; j++)
        {
            int start = (j * stride) % _grains.Length, messages = AwaitedCallLoops.Share(OneWayMessages, Concurrency, j);
            senders[j] = Task.Run(() => SendLoop(_grains, start, messages));
        }

        int[] failed = await Task.WhenAll(senders);
        if (failed.Sum() is > 0 and int n)
        {
            throw new InvalidOperationException($"{n} one-way sends did not complete synchronously; the figure would be wrong.");
        }

        try
        {
            await handled.WaitAsync(OneWayTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"Only {counter.Handled} of {OneWayMessages} one-way messages were handled within {OneWayTimeout.TotalSeconds} s (dropped by an overload limit?).");
        }
    }

    private static int SendLoop(IRuntimeBenchGrain[] grains, int start, int messages)
    {
        int failed = 0, index = start;
        for (int i = 0; i < messages; i++)
        {
            if (!grains[index].TellAsync(i).IsCompletedSuccessfully)
            {
                failed++;
            }

            if (++index == grains.Length)
            {
                index = 0;
            }
        }

        return failed;
    }

    private async Task SetupAsync(BenchSiloKind kind)
    {
        _silo = await RuntimeBenchSilo.StartAsync(kind);

        // Activate everything (and keep the references) so that runs measure steady-state calls, not activations.
        await _silo.ActivateAsync(Grains);
        _grains = Enumerable.Range(0, Grains).Select(i => _silo.GrainFactory.GetGrain<IRuntimeBenchGrain>(i)).ToArray();
        Console.WriteLine($"RuntimeBench: {kind} silo started, {_silo.Counter.Activations} grains activated");
    }
}
