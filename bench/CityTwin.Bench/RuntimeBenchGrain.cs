namespace CityTwin.Bench;

/// <summary>
/// A grain with no persistent state and one long field, so the runtime benchmarks measure the runtime (reference,
/// message, scheduler, completion) rather than grain code. Both methods complete synchronously, as most twin grain calls
/// do. The same class runs on the bare Orleans silo and on CityTwin's silo (<see cref="RuntimeBenchSilo"/>).
/// </summary>
[GrainType("runtime-bench")]
public sealed class RuntimeBenchGrain : Grain, IRuntimeBenchGrain
{
    private readonly RuntimeBenchCounter _counter;
    private long _sum;

    /// <summary>Creates the grain with its silo's counter (constructor injection, one singleton per silo).</summary>
    public RuntimeBenchGrain(RuntimeBenchCounter counter)
    {
        _counter = counter;
        counter.Activated();
    }

    /// <inheritdoc />
    public Task<int> PingAsync(int x) => Task.FromResult(x + 1);

    /// <inheritdoc />
    public Task TellAsync(int x)
    {
        _sum += x;
        _counter.Received();
        return Task.CompletedTask;
    }
}

/// <summary>
/// One per silo: counts activations of <see cref="RuntimeBenchGrain"/> and one-way messages handled, so a benchmark can
/// await "N messages handled" on a silo without quiescence tracking (the live configuration), with no sleeps or polls.
/// The message count is one interlocked increment per message, the same on both silos.
/// </summary>
public sealed class RuntimeBenchCounter
{
    private long _activations;
    private long _received;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Grain instances created so far (one per activation).</summary>
    public long Activations => Interlocked.Read(ref _activations);

    /// <summary>One-way messages handled since the last <see cref="Expect"/>.</summary>
    public long Handled => Interlocked.Read(ref _received);

    /// <summary>
    /// Resets the message count and returns a task that completes when <paramref name="messages"/> more have been handled.
    /// Call only while no one-way message is in flight.
    /// </summary>
    public Task Expect(long messages)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messages);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _reached, reached);
        Interlocked.Exchange(ref _received, 0);
        Volatile.Write(ref _target, messages);
        return reached.Task;
    }

    /// <summary>Counts a grain instance.</summary>
    public void Activated() => Interlocked.Increment(ref _activations);

    /// <summary>Counts a handled one-way message.</summary>
    public void Received()
    {
        if (Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
        {
            Volatile.Read(ref _reached).TrySetResult();
        }
    }
}
