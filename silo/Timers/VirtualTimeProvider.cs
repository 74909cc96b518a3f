using CityTwin.Silo.Quiescence;
using Orleans.Runtime;

namespace CityTwin.Silo;

/// <summary>
/// A clock that stands still until advanced. Timers fire in due order as time is advanced, with the clock set to each
/// timer's due time, so grains see exact simulated times. Forks and drills run silos on it.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    // Just under the 1 ms resolution of .NET timers (Task.Delay waits whole milliseconds).
    private static readonly TimeSpan FiringSlack = TimeSpan.FromMilliseconds(1) - TimeSpan.FromTicks(1);
    private readonly Lock _lock = new();
    private readonly SortedSet<VirtualTimer> _timers = new(VirtualTimer.DueOrder);
    private readonly ThreadLocal<VirtualTimer?> _createdOnThread = new();
    private DateTimeOffset _now;
    private long _nextId;
    private int _firingThread;

    /// <summary>
    /// Creates a clock reading <paramref name="start"/>. With a <paramref name="tracker"/>, each grain timer tick the
    /// clock fires counts as work in flight until the grain starts it, so settling waits for it.
    /// </summary>
    public VirtualTimeProvider(DateTimeOffset start, WorkTracker? tracker = null)
    {
        _now = start;
        Tracker = tracker;
    }

    /// <summary>The silo's work tracker, if the clock drives a silo that settles.</summary>
    public WorkTracker? Tracker { get; }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Number of armed timers.</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            // Code running synchronously in a timer's callback reads the end of the millisecond the timer fired in, as a
            // real timer's callback reads a clock a little past its due time. Without it a wait for a sub-millisecond
            // instant (Orleans' DelayUntilAsync: Task.Delay of the remaining whole milliseconds, then check the clock)
            // would find a fraction of a millisecond left, get a completed Task.Delay(0) and spin forever.
            return _firingThread == Environment.CurrentManagedThreadId ? _now + FiringSlack : _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state, Interlocked.Increment(ref _nextId));
        timer.Change(dueTime, period);
        _createdOnThread.Value = timer;
        return timer;
    }

    /// <summary>
    /// Runs <paramref name="onFiring"/> once, just before the callback of the timer this thread created last, when that
    /// timer fires. Lets a caller that only learns of a wait after it was armed (Orleans' reminder events) count the
    /// firing as work.
    /// </summary>
    internal void OnFiringOfLastTimerCreatedOnThisThread(Action onFiring)
    {
        if (_createdOnThread.Value is { } timer)
        {
            _createdOnThread.Value = null;
            timer.OnFiring = onFiring;
        }
    }

    /// <summary>Advances the clock, firing due timers synchronously in order.</summary>
    public void Advance(TimeSpan by)
    {
        AdvanceAsync(by, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Advances the clock by <paramref name="by"/>, firing due timers in order; after each firing it awaits
    /// <paramref name="settle"/> (e.g. "until the silo is quiet") so that work triggered by a timer completes, and
    /// re-arms its timers, before time moves on.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by, Func<CancellationToken, Task>? settle, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            VirtualTimer? due = null;
            lock (_lock)
            {
                if (_timers.Count > 0 && _timers.Min!.Due <= target)
                {
                    due = _timers.Min;
                    _timers.Remove(due);
                    if (due.Due > _now)
                    {
                        _now = due.Due;
                    }

                    if (due.Period > TimeSpan.Zero && due.Period != Timeout.InfiniteTimeSpan)
                    {
                        due.Due = _now + due.Period;
                        _timers.Add(due);
                    }
                }
                else
                {
                    _now = target;
                }
            }

            if (due is null)
            {
                if (settle is not null)
                {
                    await settle(cancellationToken);
                }

                return;
            }

            lock (_lock)
            {
                _firingThread = Environment.CurrentManagedThreadId;
            }

            try
            {
                due.Fire();
            }
            finally
            {
                lock (_lock)
                {
                    _firingThread = 0;
                }
            }

            if (settle is not null)
            {
                await settle(cancellationToken);
            }
        }
    }

    private void Arm(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            timer.Period = period;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
                timer.Due = _now + dueTime;
                _timers.Add(timer);
            }
        }
    }

    private void Disarm(VirtualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class VirtualTimer(VirtualTimeProvider clock, TimerCallback callback, object? state, long id) : ITimer
    {
        public static readonly IComparer<VirtualTimer> DueOrder = Comparer<VirtualTimer>.Create(
            static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a._id.CompareTo(b._id));

        private readonly long _id = id;

        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; set; }

        public Action? OnFiring { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Arm(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (state is IGrainTimer && clock.Tracker is { } tracker)
            {
                // Orleans turns the firing into a message to the grain; the silo's call filter ends this when it starts.
                tracker.Begin();
            }

            OnFiring?.Invoke();
            callback(state);
        }

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
