using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using CityTwin.Silo;

namespace CityTwin.Bench;

/// <summary>
/// Grain runtime throughput (issue 2). One silo with 10,000 activated <see cref="RuntimeBenchGrain"/>s per run;
/// <see cref="Concurrency"/> client loops each await one call at a time. Every benchmark reports per call or message
/// (OperationsPerInvoke), so calls/s = 1e9 / Mean[ns]. The baseline is a plain Channel&lt;T&gt; ping-pong with the same
/// number of concurrent request/response pairs and asynchronous continuations, so the Ratio column is runtime cost
/// relative to the cheapest async hand-off the machine can do (a Ratio of 1.25 = 0.8x the baseline's rate).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RuntimeBenchmarks
{
    private const int Grains = 10_000;
    private const int AwaitedCalls = 100_000;
    private const int OneWayMessages = 1_000_000;

    private Silo.Silo? _silo;
    private IRuntimeBenchGrain[] _grains = [];
    private PingPongPair[] _pairs = [];

    /// <summary>Concurrent client loops (awaited calls, ping-pong pairs) or senders (one-way).</summary>
    [Params(4, 16, 64)]
    public int Concurrency { get; set; }

    /// <summary>Starts the silo, activates every grain and starts the ping-pong servers.</summary>
    // Synchronous on purpose: BenchmarkDotNet does not await a Task-returning setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    /// <summary>Stops the silo and the ping-pong servers.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    /// <summary>Awaited grain calls spread over 10,000 grains: <see cref="Concurrency"/> loops, one call in flight each.</summary>
    [Benchmark(OperationsPerInvoke = AwaitedCalls)]
    public Task AwaitedCall()
    {
        var loops = new Task<int>[Concurrency];
        int stride = Grains / Concurrency;
        for (int j = 0; j < loops.Length; j++)
        {
            int start = j * stride, calls = Share(AwaitedCalls, j);
            loops[j] = Task.Run(() => CallLoopAsync(_grains, start, calls));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>One-way messages spread over 10,000 grains from <see cref="Concurrency"/> senders, then quiescence.</summary>
    [Benchmark(OperationsPerInvoke = OneWayMessages)]
    public async Task OneWayMessage()
    {
        var senders = new Task<int>[Concurrency];
        int stride = Grains / Concurrency;
        for (int j = 0; j < senders.Length; j++)
        {
            int start = j * stride, messages = Share(OneWayMessages, j);
            senders[j] = Task.Run(() => SendLoop(_grains, start, messages));
        }

        int[] rejected = await Task.WhenAll(senders);
        await _silo!.WaitForQuiescenceAsync();
        if (rejected.Sum() is > 0 and int n)
        {
            throw new InvalidOperationException($"{n} one-way messages were rejected (overload); the figure would be wrong.");
        }
    }

    /// <summary>Baseline: <see cref="Concurrency"/> request/response pairs over two channels each, async continuations.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = AwaitedCalls)]
    public Task ChannelPingPong()
    {
        var loops = new Task<int>[Concurrency];
        for (int j = 0; j < loops.Length; j++)
        {
            PingPongPair pair = _pairs[j];
            int calls = Share(AwaitedCalls, j);
            loops[j] = Task.Run(() => pair.ClientLoopAsync(calls));
        }

        return Task.WhenAll(loops);
    }

    private int Share(int total, int loop) => (total / Concurrency) + (loop < total % Concurrency ? 1 : 0);

    private static async Task<int> CallLoopAsync(IRuntimeBenchGrain[] grains, int start, int calls)
    {
        int sum = 0, index = start;
        for (int i = 0; i < calls; i++)
        {
            sum += await grains[index].PingAsync(i);
            if (++index == grains.Length)
            {
                index = 0;
            }
        }

        return sum;
    }

    private static int SendLoop(IRuntimeBenchGrain[] grains, int start, int messages)
    {
        int rejected = 0, index = start;
        for (int i = 0; i < messages; i++)
        {
            if (!grains[index].TellAsync(i).IsCompletedSuccessfully)
            {
                rejected++;
            }

            if (++index == grains.Length)
            {
                index = 0;
            }
        }

        return rejected;
    }

    private async Task SetupAsync()
    {
        _silo = new SiloBuilder().AddGrain<RuntimeBenchGrain>().Build();
        await _silo.StartAsync();
        _grains = new IRuntimeBenchGrain[Grains];
        for (int i = 0; i < Grains; i++)
        {
            _grains[i] = _silo.GrainFactory.GetGrain<IRuntimeBenchGrain>(i);
        }

        // Activate everything (and warm the proxies' activation cache) so that runs measure steady-state calls.
        await Task.WhenAll(_grains.Select((g, i) => g.PingAsync(i)));
        await _silo.WaitForQuiescenceAsync();
        _pairs = Enumerable.Range(0, Concurrency).Select(_ => new PingPongPair()).ToArray();
    }

    private async Task CleanupAsync()
    {
        foreach (PingPongPair pair in _pairs)
        {
            await pair.StopAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    /// <summary>A server loop answering requests on one channel with responses on another.</summary>
    private sealed class PingPongPair
    {
        private static readonly UnboundedChannelOptions Options = new() { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = false };

        private readonly Channel<int> _requests = Channel.CreateUnbounded<int>(Options);
        private readonly Channel<int> _responses = Channel.CreateUnbounded<int>(Options);
        private readonly Task _server;

        public PingPongPair() => _server = Task.Run(ServeAsync);

        public async Task<int> ClientLoopAsync(int calls)
        {
            int sum = 0;
            for (int i = 0; i < calls; i++)
            {
                _requests.Writer.TryWrite(i);
                sum += await _responses.Reader.ReadAsync();
            }

            return sum;
        }

        public Task StopAsync()
        {
            _requests.Writer.TryComplete();
            return _server;
        }

        private async Task ServeAsync()
        {
            ChannelReader<int> reader = _requests.Reader;
            ChannelWriter<int> writer = _responses.Writer;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out int x))
                {
                    writer.TryWrite(x + 1);
                }
            }
        }
    }
}
