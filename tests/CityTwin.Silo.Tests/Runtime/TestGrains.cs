using System.Collections.Concurrent;
using CityTwin.Silo.Streams;

namespace CityTwin.Silo.Tests.Runtime;

// Test grains for the runtime tests. What a test observes goes through Probe, a per-silo service, never static state.

/// <summary>Shared observations of one test silo.</summary>
public sealed class Probe
{
    private int _concurrent;
    private int _maxConcurrent;

    public ConcurrentDictionary<string, int> Activations { get; } = new();

    public ConcurrentDictionary<string, int> Deactivations { get; } = new();

    public ConcurrentQueue<(string Grain, string Name, DateTimeOffset At)> Ticks { get; } = new();

    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Events { get; } = new();

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public void Enter()
    {
        int now = Interlocked.Increment(ref _concurrent);
        int max;
        while (now > (max = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, max) != max)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _concurrent);
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    Task<bool> ContinuationsStayOnActivationAsync();

    Task ThrowAsync(string message);

    Task WaitForGateAsync(string tag);

    [OneWay]
    Task NoteAsync(string text);

    Task DeactivateAsync();
}

public sealed class CounterGrain(Probe probe) : Grain, ICounterGrain
{
    private int _count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activations.AddOrUpdate(GrainId.Key, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivations.AddOrUpdate(GrainId.Key, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public async Task<int> IncrementAsync()
    {
        probe.Enter();
        try
        {
            int read = _count;
            await Task.Yield();
            await Task.Delay(0);
            await Task.Yield();
            _count = read + 1;
            return _count;
        }
        finally
        {
            probe.Exit();
        }
    }

    public Task<int> GetAsync() => Task.FromResult(_count);

    public async Task<bool> ContinuationsStayOnActivationAsync()
    {
        TaskScheduler before = TaskScheduler.Current;
        await Task.Delay(5);
        bool same = TaskScheduler.Current == before && before != TaskScheduler.Default;
        await Task.Run(() => Thread.Sleep(1));
        return same && TaskScheduler.Current == before;
    }

    public Task ThrowAsync(string message) => throw new ArgumentException(message);

    public async Task WaitForGateAsync(string tag)
    {
        probe.Events.Enqueue($"start {tag}");
        await probe.Gate.Task;
        probe.Events.Enqueue($"end {tag}");
    }

    public Task NoteAsync(string text)
    {
        probe.Events.Enqueue(text);
        return Task.CompletedTask;
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Calls the grains named in <paramref name="path"/> in turn; returns how many calls were made.</summary>
    Task<int> CallAlongAsync(string[] path, int index);

    Task<int> HitsAsync();
}

public sealed class ChainGrain : Grain, IChainGrain
{
    private int _hits;

    public async Task<int> CallAlongAsync(string[] path, int index)
    {
        _hits++;
        if (index >= path.Length)
        {
            return index;
        }

        await Task.Yield();
        return await GrainFactory.GetGrain<IChainGrain>(path[index]).CallAlongAsync(path, index + 1);
    }

    public Task<int> HitsAsync() => Task.FromResult(_hits);
}

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> Notes { get; set; } = [];
}

public interface IStatefulGrain : IGrainWithStringKey
{
    Task AddAsync(int amount);

    Task<int> GetAsync();

    Task<long> SaveAsync();

    Task<long> VersionAsync();

    Task DeactivateAsync();
}

public sealed class StatefulGrain([PersistentState("counter", "store")] IPersistentState<CounterState> state) : Grain, IStatefulGrain
{
    public Task AddAsync(int amount)
    {
        state.State.Value += amount;
        state.State.Notes.Add($"+{amount}");
        return Task.CompletedTask;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public async Task<long> SaveAsync()
    {
        await state.WriteStateAsync();
        return state.Version;
    }

    public Task<long> VersionAsync() => Task.FromResult(state.Version);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface ITickingGrain : IGrainWithStringKey, IRemindable
{
    Task StartTimerAsync(TimeSpan period);

    Task StartSlowTimerAsync(TimeSpan period, TimeSpan work);

    Task StartReminderAsync(string name, TimeSpan period);

    Task StopReminderAsync(string name);
}

public sealed class TickingGrain(Probe probe) : Grain, ITickingGrain
{
    private IGrainTimer? _timer;

    public Task StartTimerAsync(TimeSpan period)
    {
        _timer = RegisterGrainTimer(
            _ =>
            {
                probe.Ticks.Enqueue((GrainId.Key, "timer", TimeProvider.GetUtcNow()));
                return Task.CompletedTask;
            },
            period,
            period);
        return Task.CompletedTask;
    }

    public Task StartSlowTimerAsync(TimeSpan period, TimeSpan work)
    {
        _timer = RegisterGrainTimer(
            async _ =>
            {
                probe.Enter();
                probe.Ticks.Enqueue((GrainId.Key, "slow", DateTimeOffset.UtcNow));
                await Task.Delay(work);
                probe.Exit();
            },
            TimeSpan.Zero,
            period);
        return Task.CompletedTask;
    }

    public async Task StartReminderAsync(string name, TimeSpan period) => await RegisterOrUpdateReminder(name, period, period);

    public async Task StopReminderAsync(string name)
    {
        IGrainReminder? r = await GetReminder(name);
        if (r is not null)
        {
            await UnregisterReminder(r);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Ticks.Enqueue((GrainId.Key, reminderName, TimeProvider.GetUtcNow()));
        return Task.CompletedTask;
    }
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task PublishAsync(string text);

    Task SubscribeToAsync(string streamKey);

    Task<string[]> ReceivedAsync();
}

public sealed class PublisherGrain : Grain, IPublisherGrain
{
    private readonly List<string> _received = [];

    public Task PublishAsync(string text) =>
        GetStreamProvider().GetStream<string>(StreamId.Create("notes", GrainId.Key)).OnNextAsync(text);

    public async Task SubscribeToAsync(string streamKey)
    {
        TaskScheduler mine = TaskScheduler.Current;
        await GetStreamProvider().GetStream<string>(StreamId.Create("notes", streamKey)).SubscribeAsync((item, _) =>
        {
            // Delivered as a turn of this activation, so touching _received needs no lock.
            _received.Add(TaskScheduler.Current == mine ? item : "wrong-scheduler:" + item);
            return Task.CompletedTask;
        });
    }

    public Task<string[]> ReceivedAsync() => Task.FromResult(_received.ToArray());
}

public interface IFailingGrain : IGrainWithStringKey
{
    Task<int> PingAsync();
}

public sealed class FailingGrain(Probe probe) : Grain, IFailingGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        int attempt = probe.Activations.AddOrUpdate(GrainId.Key, 1, (_, n) => n + 1);
        return attempt == 1 ? throw new InvalidDataException("first activation fails") : Task.CompletedTask;
    }

    public Task<int> PingAsync() => Task.FromResult(1);
}
