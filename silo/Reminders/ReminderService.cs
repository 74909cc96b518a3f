using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CityTwin.Silo.Reminders;

/// <summary>
/// Keeps the silo's reminders: durable in the reminder table, scheduled on the silo's TimeProvider. At start it loads
/// every stored reminder, so reminders survive a restart. A tick calls IRemindable.ReceiveReminder on the grain,
/// activating it; the next tick is armed after that call completes, so ticks of one reminder never overlap.
/// </summary>
internal sealed class ReminderService(Silo silo, IReminderTable table) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Name), ScheduledReminder> _scheduled = new();

    public int Count => _scheduled.Count;

    private Silo Silo { get; } = silo;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (ReminderEntry entry in await table.ReadAllAsync(cancellationToken))
        {
            Schedule(entry);
        }
    }

    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grain, string name, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var entry = new ReminderEntry(grain.Type, grain.Key, name, Silo.TimeProvider.GetUtcNow() + dueTime, period);
        await table.UpsertAsync(entry);
        Schedule(entry);
        return new GrainReminder(name);
    }

    public async Task UnregisterAsync(GrainId grain, string name)
    {
        if (_scheduled.TryRemove((grain, name), out ScheduledReminder? r))
        {
            r.Dispose();
        }

        await table.RemoveAsync(grain.Type, grain.Key, name);
    }

    public IGrainReminder? Get(GrainId grain, string name) => _scheduled.ContainsKey((grain, name)) ? new GrainReminder(name) : null;

    public ValueTask DisposeAsync()
    {
        foreach (ScheduledReminder r in _scheduled.Values)
        {
            r.Dispose();
        }

        _scheduled.Clear();
        return ValueTask.CompletedTask;
    }

    private void Schedule(ReminderEntry entry)
    {
        var id = new GrainId(entry.GrainType, entry.GrainId);
        var reminder = new ScheduledReminder(this, id, entry);
        if (_scheduled.TryGetValue((id, entry.Name), out ScheduledReminder? old))
        {
            old.Dispose();
        }

        _scheduled[(id, entry.Name)] = reminder;
        reminder.ArmNext();
    }

    private sealed record GrainReminder(string ReminderName) : IGrainReminder;

    private sealed class ScheduledReminder : IDisposable
    {
        private readonly ReminderService _service;
        private readonly GrainId _grain;
        private readonly ReminderEntry _entry;
        private readonly ITimer _timer;
        private volatile bool _disposed;

        public ScheduledReminder(ReminderService service, GrainId grain, ReminderEntry entry)
        {
            _service = service;
            _grain = grain;
            _entry = entry;
            _timer = service.Silo.TimeProvider.CreateTimer(static s => ((ScheduledReminder)s!).OnFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Arms the timer for the next occurrence StartAt + k * Period not before now (missed ticks are skipped).</summary>
        public void ArmNext()
        {
            if (_disposed)
            {
                return;
            }

            DateTimeOffset now = _service.Silo.TimeProvider.GetUtcNow();
            DateTimeOffset next = _entry.StartAt;
            if (next <= now)
            {
                long periods = ((now - _entry.StartAt).Ticks / _entry.Period.Ticks) + 1;
                next = _entry.StartAt + TimeSpan.FromTicks(periods * _entry.Period.Ticks);
            }

            _timer.Change(next - now, Timeout.InfiniteTimeSpan);
        }

        public void Dispose()
        {
            _disposed = true;
            _timer.Dispose();
        }

        private void OnFired()
        {
            if (_disposed)
            {
                return;
            }

            var status = new TickStatus(_entry.StartAt, _entry.Period, _service.Silo.TimeProvider.GetUtcNow());
            if (!_service.Silo.SendReminder(_grain, _entry.Name, status, this))
            {
                ArmNext();
            }
        }

        /// <summary>Called when the grain has handled the tick (or failed to).</summary>
        public void OnHandled(Exception? error)
        {
            if (error is not null)
            {
                _service.Silo.Logger.LogWarning(error, "Reminder {Name} of {Grain} failed", _entry.Name, _grain);
            }

            ArmNext();
        }
    }

    /// <summary>Lets the silo report back on a tick it delivered.</summary>
    internal static void Handled(object reminder, Exception? error) => ((ScheduledReminder)reminder).OnHandled(error);
}
