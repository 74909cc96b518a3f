using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CityTwin.Silo.Runtime;

/// <summary>
/// One live activation of a grain: its instance, its mailbox and its own TaskScheduler. All of the grain's code,
/// including continuations after await, runs as tasks on this scheduler, one task at a time (a turn). Requests
/// run one at a time to completion unless the grain is [Reentrant], the method is [AlwaysInterleave], or the
/// request belongs to a call chain that already passed through this grain (call-chain reentrancy).
/// </summary>
internal sealed class ActivationData : TaskScheduler, IThreadPoolWorkItem
{
    private static readonly Action<object?> RunMessageAction = static s => ((Message)s!).Activation!.RunMessage((Message)s!);
    private static readonly Action<Task, object?> MessageInvokedAction = static (t, s) => ((Message)s!).Activation!.OnInvoked((Message)s!, t);
    private static readonly Func<object?, Task> ActivateAction = static s => ((ActivationData)s!).ActivateAsync();
    private static readonly Func<object?, Task> DeactivateAction = static s => ((ActivationData)s!).DeactivateAsync();

    // One lock guards the mailbox, the task queue and the lifecycle; it is held only for a few field updates. It is
    // the activation itself (a monitor in its header) rather than a Lock object: 40 B less for each of a million
    // idle activations. Outside the runtime the type is seen only as TaskScheduler.Current, which nothing locks on.
    // Pending tasks: null, the one pending Task, or a Queue<Task> created only while more than one is pending (a turn
    // and its continuation rarely overlap) and dropped once drained: an idle activation keeps no queue.
    private object? _tasks;
    private bool _scheduled;
    private Queue<Message>? _waiting;
    private Message? _runningHead;
    private int _running;
    private ActivationState _state;
    private Grain? _grain;
    private DeactivationReason? _pendingDeactivation;
    private DeactivationReason _deactivationReason;
    private long _lastActive;
    private PersistentStateBase? _states;
    private List<GrainTimer>? _timers;
    private TaskCompletionSource? _deactivated;

    public ActivationData(GrainId id, GrainClassInfo grainClass)
    {
        GrainId = id;
        Class = grainClass;
        _lastActive = Environment.TickCount64;
    }

    public Silo Silo => Class.Silo;

    public GrainId GrainId { get; }

    public GrainClassInfo Class { get; }

    public ActivationState State
    {
        get
        {
            lock (this)
            {
                return _state;
            }
        }
    }

    public int WaitingCount => _waiting?.Count ?? 0;

    /// <summary>Offers a message; starts it now if the reentrancy rules allow, otherwise queues it (bounded).</summary>
    public EnqueueResult Enqueue(Message message)
    {
        lock (this)
        {
            switch (_state)
            {
                case ActivationState.Invalid:
                    return EnqueueResult.Invalid;
                case ActivationState.Created:
                    if (Silo.IsStopping || message.BoundToActivation)
                    {
                        return EnqueueResult.Refused;
                    }

                    _state = ActivationState.Activating;
                    (_waiting ??= new Queue<Message>()).Enqueue(message);
                    Task.Factory.StartNew(ActivateAction, this, CancellationToken.None, TaskCreationOptions.None, this);
                    return EnqueueResult.Accepted;
                case ActivationState.Valid when _pendingDeactivation is null && CanStart(message):
                    StartLocked(message);
                    return EnqueueResult.Accepted;
                case ActivationState.Deactivating when message.BoundToActivation:
                    return EnqueueResult.Invalid;
                default:
                    _waiting ??= new Queue<Message>();
                    if (_waiting.Count >= Silo.Options.MaxQueueLengthPerGrain)
                    {
                        return EnqueueResult.Overloaded;
                    }

                    _waiting.Enqueue(message);
                    return EnqueueResult.Accepted;
            }
        }
    }

    /// <summary>DeactivateOnIdle: deactivate once the running requests finish; queued ones go to a new activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (this)
        {
            if (_state is ActivationState.Valid or ActivationState.Activating)
            {
                _pendingDeactivation ??= reason;
                if (_state == ActivationState.Valid && _running == 0)
                {
                    BeginDeactivationLocked(reason);
                }
            }
        }
    }

    /// <summary>Starts deactivation if the activation has been idle since before <paramref name="cutoff"/>.</summary>
    public bool TryCollectIdle(long cutoff)
    {
        if (_running != 0 || Volatile.Read(ref _lastActive) >= cutoff)
        {
            return false;
        }

        lock (this)
        {
            if (_state != ActivationState.Valid || _running != 0 || WaitingCount != 0 || _pendingDeactivation is not null || _lastActive >= cutoff)
            {
                return false;
            }

            BeginDeactivationLocked(DeactivationReason.IdleCollection);
            return true;
        }
    }

    /// <summary>Deactivates for shutdown once running requests finish; the task completes when it is gone.</summary>
    public Task DeactivateForShutdownAsync()
    {
        lock (this)
        {
            _deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            switch (_state)
            {
                case ActivationState.Created:
                    _state = ActivationState.Invalid;
                    Silo.RemoveActivation(this);
                    _deactivated.TrySetResult();
                    break;
                case ActivationState.Invalid:
                    _deactivated.TrySetResult();
                    break;
                case ActivationState.Activating:
                    _pendingDeactivation ??= DeactivationReason.ShuttingDown;
                    break;
                case ActivationState.Valid:
                    _pendingDeactivation ??= DeactivationReason.ShuttingDown;
                    if (_running == 0)
                    {
                        BeginDeactivationLocked(_pendingDeactivation.Value);
                    }

                    break;
            }

            return _deactivated.Task;
        }
    }

    /// <summary>Collects callers that have waited longer than the response timeout (running or queued).</summary>
    public void CollectExpired(long now, long timeoutMs, List<Message> expired)
    {
        if (_running == 0 && WaitingCount == 0)
        {
            return;
        }

        lock (this)
        {
            for (Message? m = _runningHead; m is not null; m = m.NextRunning)
            {
                if (m.HasCaller && !m.IsAnswered && now - m.SentAt > timeoutMs)
                {
                    expired.Add(m);
                }
            }

            if (_waiting is not null)
            {
                foreach (Message m in _waiting)
                {
                    if (m.HasCaller && !m.IsAnswered && now - m.SentAt > timeoutMs)
                    {
                        expired.Add(m);
                    }
                }
            }
        }
    }

    /// <summary>Binds a persistent state (at construction, before activation); they are read and written in this order.</summary>
    public void AddState(PersistentStateBase state)
    {
        if (_states is null)
        {
            _states = state;
            return;
        }

        PersistentStateBase last = _states;
        while (last.Next is not null)
        {
            last = last.Next;
        }

        last.Next = state;
    }

    /// <summary>Writes every persistent state that differs from storage; returns how many were written.</summary>
    public async Task<int> WriteChangedStatesAsync()
    {
        int written = 0;
        for (PersistentStateBase? state = _states; state is not null; state = state.Next)
        {
            if (await state.WriteIfChangedAsync())
            {
                written++;
            }
        }

        return written;
    }

    public void AddTimer(GrainTimer timer)
    {
        lock (this)
        {
            (_timers ??= []).Add(timer);
        }
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (this)
        {
            _timers?.Remove(timer);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        // A budget keeps one busy activation from starving the others on the same worker thread.
        bool measure = Silo.Metrics.TurnDuration.Enabled;
        for (int i = 0; i < 64; i++)
        {
            Task? task;
            lock (this)
            {
                if (_tasks is Task single)
                {
                    task = single;
                    _tasks = null;
                }
                else if (_tasks is not Queue<Task> queue || !queue.TryDequeue(out task))
                {
                    _tasks = null;
                    _scheduled = false;
                    return;
                }
            }

            if (measure)
            {
                long start = Stopwatch.GetTimestamp();
                TryExecuteTask(task);
                Silo.Metrics.TurnDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            else
            {
                TryExecuteTask(task);
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    protected override void QueueTask(Task task)
    {
        bool schedule;
        lock (this)
        {
            switch (_tasks)
            {
                case null:
                    _tasks = task;
                    break;
                case Task pending:
                    var queue = new Queue<Task>();
                    queue.Enqueue(pending);
                    queue.Enqueue(task);
                    _tasks = queue;
                    break;
                default:
                    ((Queue<Task>)_tasks).Enqueue(task);
                    break;
            }

            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    // Never inline: running a task on the caller's thread could start a second turn inside the current one.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (this)
        {
            return _tasks switch
            {
                Task single => [single],
                Queue<Task> queue => [.. queue],
                _ => [],
            };
        }
    }

    private bool CanStart(Message message) =>
        _running == 0 || Class.IsReentrant || message.AlwaysInterleave || (message.Chain is { } chain && chain.Contains(GrainId));

    private void StartLocked(Message message)
    {
        _running++;
        message.Activation = this;
        message.PrevRunning = null;
        message.NextRunning = _runningHead;
        if (_runningHead is not null)
        {
            _runningHead.PrevRunning = message;
        }

        _runningHead = message;
        if (message.KeepAlive)
        {
            _lastActive = Environment.TickCount64;
        }

        new Task(RunMessageAction, message).Start(this);
    }

    private void UnlinkLocked(Message message)
    {
        if (message.PrevRunning is not null)
        {
            message.PrevRunning.NextRunning = message.NextRunning;
        }
        else
        {
            _runningHead = message.NextRunning;
        }

        if (message.NextRunning is not null)
        {
            message.NextRunning.PrevRunning = message.PrevRunning;
        }

        message.PrevRunning = message.NextRunning = null;
        _running--;
    }

    private void RunMessage(Message message)
    {
        Silo.RequestContext.Chain = new CallChain(GrainId, message.Chain);
        Task invoked;
        try
        {
            invoked = message.Invoke(_grain!);
        }
        catch (Exception e)
        {
            invoked = Task.FromException(e);
        }

        if (invoked.IsCompleted)
        {
            OnInvoked(message, invoked);
        }
        else
        {
            invoked.ContinueWith(MessageInvokedAction, message, CancellationToken.None, TaskContinuationOptions.None, this);
        }
    }

    private void OnInvoked(Message message, Task invoked)
    {
        message.Complete(invoked);
        if (invoked.IsFaulted && !message.HasCaller)
        {
            Silo.OnUnobservedFailure(message, invoked.Exception!.GetBaseException());
        }

        lock (this)
        {
            UnlinkLocked(message);
            DrainLocked();
        }

        Silo.OnMessageDone();
    }

    private void DrainLocked()
    {
        if (_state != ActivationState.Valid)
        {
            return;
        }

        if (_pendingDeactivation is { } reason)
        {
            if (_running == 0)
            {
                BeginDeactivationLocked(reason);
            }

            return;
        }

        while (_waiting is { Count: > 0 })
        {
            Message next = _waiting.Peek();
            if (next.IsAnswered)
            {
                // Timed out while queued: the caller has gone, so the work is dropped.
                _waiting.Dequeue();
                Silo.OnMessageDone();
                continue;
            }

            if (!CanStart(next))
            {
                break;
            }

            _waiting.Dequeue();
            StartLocked(next);
        }

        // Most activations queue only their first message (while activating); don't keep an empty queue for each.
        if (_waiting is { Count: 0 })
        {
            _waiting = null;
        }
    }

    private void BeginDeactivationLocked(DeactivationReason reason)
    {
        _state = ActivationState.Deactivating;
        _pendingDeactivation = null;
        _deactivationReason = reason;
        Task.Factory.StartNew(DeactivateAction, this, CancellationToken.None, TaskCreationOptions.None, this);
    }

    private async Task ActivateAsync()
    {
        Silo.RequestContext.Chain = new CallChain(GrainId, null);
        try
        {
            _grain = Class.Create(this, Silo.Services);
            for (PersistentStateBase? state = _states; state is not null; state = state.Next)
            {
                await state.ReadStateAsync();
            }

            await _grain.OnActivateAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            Silo.Logger.LogWarning(e, "Activation of {Grain} failed", GrainId);
            DisposeTimers();
            Silo.RemoveActivation(this);
            Message[] failed;
            lock (this)
            {
                _state = ActivationState.Invalid;
                failed = _waiting?.ToArray() ?? [];
                _waiting = null;
                _deactivated?.TrySetResult();
            }

            var error = new InvalidOperationException($"Activation of grain {GrainId} failed: {e.Message}", e);
            foreach (Message m in failed)
            {
                m.Fail(error);
                Silo.OnMessageDone();
            }

            return;
        }

        Silo.OnActivated();
        lock (this)
        {
            _state = ActivationState.Valid;
            _lastActive = Environment.TickCount64;
            DrainLocked();
        }
    }

    private async Task DeactivateAsync()
    {
        Silo.RequestContext.Chain = new CallChain(GrainId, null);
        try
        {
            await _grain!.OnDeactivateAsync(_deactivationReason, CancellationToken.None);
        }
        catch (Exception e)
        {
            Silo.Logger.LogWarning(e, "OnDeactivateAsync of {Grain} failed", GrainId);
        }

        DisposeTimers();
        for (PersistentStateBase? state = _states; state is not null; state = state.Next)
        {
            try
            {
                await state.WriteIfChangedAsync();
            }
            catch (Exception e)
            {
                Silo.Logger.LogError(e, "Writing the state of {Grain} on deactivation failed; the change is lost", GrainId);
            }
        }

        // Leave the directory first so new calls create a fresh activation; this one is finished with storage.
        Silo.RemoveActivation(this);
        Message[] pending;
        lock (this)
        {
            _state = ActivationState.Invalid;
            pending = _waiting?.ToArray() ?? [];
            _waiting = null;
        }

        Silo.OnDeactivated();
        foreach (Message m in pending)
        {
            if (m.BoundToActivation || m.IsAnswered)
            {
                Silo.OnMessageDone();
            }
            else
            {
                Silo.Redispatch(GrainId, Class, m);
            }
        }

        lock (this)
        {
            _deactivated?.TrySetResult();
        }
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (this)
        {
            timers = _timers?.ToArray() ?? [];
            _timers = null;
        }

        foreach (GrainTimer t in timers)
        {
            t.Dispose();
        }
    }
}
