using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// The pushes waiting for one connection, sent in order by one pump. The queue is bounded and drops its oldest push
/// (counted) when the client reads too slowly, so a slow client costs a fixed amount of memory and never holds up
/// other clients or the stream that feeds the gateway. Entity changes are throttled here, per entity: the first change
/// goes out at once and opens a window; later changes in the window replace each other, and the last is sent when the
/// window ends (opening the next one), so a client never ends on a stale value.
/// </summary>
internal sealed class ConnectionOutbox : IAsyncDisposable
{
    private readonly string _connectionId;
    private readonly IHubContext<TwinHub> _hub;
    private readonly TimeProvider _time;
    private readonly long _throttleTicks;
    private readonly ILogger _logger;
    private readonly Channel<Push> _queue;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, EntityWindow> _windows = new(StringComparer.Ordinal);

    // Every window lasts the same time and opens at "now", so deadlines arrive in order: a FIFO queue and one timer
    // serve all entities of the connection (rather than a timer per entity).
    private readonly Queue<(long Due, string EntityId)> _deadlines = new();
    private readonly ITimer _timer;
    private readonly Task _pump;
    private bool _timerArmed;
    private bool _closed;
    private long _dropped;
    private long _sent;

    /// <summary>Creates the outbox and starts its pump.</summary>
    public ConnectionOutbox(string connectionId, IHubContext<TwinHub> hub, TimeProvider time, TwinHubOptions options, ILogger logger)
    {
        _connectionId = connectionId;
        _hub = hub;
        _time = time;
        _logger = logger;
        _throttleTicks = (long)(options.EntityThrottle.TotalSeconds * time.TimestampFrequency);
        _queue = Channel.CreateBounded<Push>(
            new BoundedChannelOptions(options.ConnectionQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
        _timer = time.CreateTimer(static s => ((ConnectionOutbox)s!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Pushes dropped because the client read too slowly.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Pushes handed to SignalR for this connection.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Pushes waiting in the queue.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues a push (dropping the oldest waiting one if the queue is full).</summary>
    public void Enqueue(Push push) => _queue.Writer.TryWrite(push);

    /// <summary>Queues an entity change, throttled per entity.</summary>
    public void EnqueueEntityChange(string entityId, Push push)
    {
        if (_throttleTicks <= 0)
        {
            Enqueue(push);
            return;
        }

        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            long now = _time.GetTimestamp();
            if (_windows.TryGetValue(entityId, out EntityWindow? window) && now < window.End)
            {
                window.Pending = push;
                return;
            }

            // Queued under the lock so that an entity's immediate and trailing pushes keep their order.
            Enqueue(push);
            if (window is null)
            {
                window = new EntityWindow();
                _windows[entityId] = window;
            }

            // A window whose deadline is late (timer not run yet) is superseded: this newer value went out instead of
            // its pending one, and the stale deadline is skipped because the window's end has moved.
            window.End = now + _throttleTicks;
            window.Pending = null;
            _deadlines.Enqueue((window.End, entityId));
            ArmTimer(now);
        }
    }

    /// <summary>What this connection has been sent and lost so far.</summary>
    public (long Sent, long Dropped, int Queued) Statistics() => (Sent, Dropped, Queued);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closed = true;
            _windows.Clear();
            _deadlines.Clear();
        }

        await _timer.DisposeAsync();
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out _))
        {
            // The connection is gone: what it did not get is discarded, not sent into the void.
        }

        try
        {
            // A send in flight to a stalled client ends when SignalR aborts the connection; don't hang shutdown on it.
            await _pump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            _logger.LogDebug("Push pump of connection {Connection} still sending at close", _connectionId);
        }
    }

    private void OnDropped(Push push)
    {
        if (Interlocked.Increment(ref _dropped) == 1)
        {
            _logger.LogWarning("Connection {Connection} reads pushes too slowly; dropping the oldest ({Method} first)", _connectionId, push.Method);
        }
    }

    private void ArmTimer(long now)
    {
        if (_timerArmed || !_deadlines.TryPeek(out (long Due, string EntityId) next))
        {
            return;
        }

        // Rounded up by a millisecond so the timer does not fire just before the deadline and spin.
        TimeSpan due = _time.GetElapsedTime(now, next.Due) + TimeSpan.FromMilliseconds(1);
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        _timerArmed = true;
    }

    private void OnDeadline()
    {
        lock (_lock)
        {
            _timerArmed = false;
            if (_closed)
            {
                return;
            }

            long now = _time.GetTimestamp();
            while (_deadlines.TryPeek(out (long Due, string EntityId) deadline) && deadline.Due <= now)
            {
                _deadlines.Dequeue();
                if (!_windows.TryGetValue(deadline.EntityId, out EntityWindow? window) || window.End != deadline.Due)
                {
                    continue;
                }

                if (window.Pending is { } pending)
                {
                    // Trailing edge: the last value of the window goes out and opens the next window.
                    Enqueue(pending);
                    window.Pending = null;
                    window.End = now + _throttleTicks;
                    _deadlines.Enqueue((window.End, deadline.EntityId));
                }
                else
                {
                    // A quiet window: forget the entity so memory follows the entities changing now, not all ever seen.
                    _windows.Remove(deadline.EntityId);
                }
            }

            ArmTimer(now);
        }
    }

    private async Task PumpAsync()
    {
        IClientProxy client = _hub.Clients.Client(_connectionId);
        await foreach (Push push in _queue.Reader.ReadAllAsync())
        {
            try
            {
                // Awaiting the send is the back-pressure: a slow socket holds this pump, and the queue absorbs and drops.
                await client.SendAsync(push.Method, push.Payload);
                Interlocked.Increment(ref _sent);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogDebug(e, "Push {Method} to connection {Connection} failed", push.Method, _connectionId);
            }
        }
    }

    private sealed class EntityWindow
    {
        public long End { get; set; }

        public Push? Pending { get; set; }
    }
}
