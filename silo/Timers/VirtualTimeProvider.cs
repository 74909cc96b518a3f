namespace CityTwin.Silo;

/// <summary>
/// A clock that stands still until advanced. Timers fire in due order as time is advanced, with the clock set to each
/// timer's due time, so grains see exact simulated times. Forks and drills run silos on it.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly SortedSet<VirtualTimer> _timers = new(VirtualTimer.DueOrder);
    private DateTimeOffset _now;
    private long _nextId;

    /// <summary>Creates a clock reading <paramref name="start"/>.</summary>
    public VirtualTimeProvider(DateTimeOffset start) => _now = start;

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
            return _now;
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
        return timer;
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

            due.Fire();
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

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Arm(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
