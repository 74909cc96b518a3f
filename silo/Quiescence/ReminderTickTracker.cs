using System.Runtime.CompilerServices;
using Orleans;
using Orleans.Reminders.Diagnostics;
using Orleans.Runtime;

namespace CityTwin.Silo.Quiescence;

/// <summary>
/// Counts Orleans reminders that are between waits as work in flight, so a silo on a virtual clock settles only once
/// each reminder has delivered its tick and armed its next wait. Orleans delivers a reminder tick from its own loop,
/// not from the clock's timer callback: without this, time could move on while the tick was still on its way, and the
/// loop would then arm its next wait on a later clock and skip a tick.
/// </summary>
/// <remarks>
/// Driven by Orleans' reminder diagnostic events (<see cref="ReminderEvents"/>, public "for simulation testing"). A
/// local reminder is busy from its start or a schedule change, and from the moment the clock fires the timer its wait
/// armed, until it arms its next wait or stops. The timer belongs to the wait armed last on the thread that emits the
/// "wait armed" event: Orleans creates it there, synchronously, just before emitting.
/// </remarks>
internal sealed class ReminderTickTracker(WorkTracker tracker, VirtualTimeProvider clock, ILocalSiloDetails silo)
    : IObserver<ReminderEvents.ReminderEvent>, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<object, bool> _busy = new(ReferenceEqualityComparer.Instance);
    private readonly ConditionalWeakTable<object, object> _stopped = [];
    private IDisposable? _subscription;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        // Before the reminder service starts (RuntimeServices), so no local reminder is missed.
        lifecycle.Subscribe(
            nameof(ReminderTickTracker),
            ServiceLifecycleStage.RuntimeInitialize,
            _ =>
            {
                _subscription = ReminderEvents.AllEvents.Subscribe(this);
                return Task.CompletedTask;
            },
            _ =>
            {
                _subscription?.Dispose();
                Release();
                return Task.CompletedTask;
            });
    }

    /// <inheritdoc />
    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        if (!Equals(value.SiloAddress, silo.SiloAddress))
        {
            return;
        }

        switch (value)
        {
            case ReminderEvents.LocalReminderStarted started:
                Mark(started.Identity, busy: true, onlyIfNew: true);
                break;
            case ReminderEvents.LocalReminderScheduleChanged changed:
                Mark(changed.Identity, busy: true, onlyIfNew: false);
                break;
            case ReminderEvents.LocalReminderTickWaitArmed armed:
                object identity = armed.Identity;
                clock.OnFiringOfLastTimerCreatedOnThisThread(() => Mark(identity, busy: true, onlyIfNew: false));
                Mark(identity, busy: false, onlyIfNew: false);
                break;
            case ReminderEvents.LocalReminderStopped stopped:
                lock (_lock)
                {
                    _stopped.AddOrUpdate(stopped.Identity, stopped);
                    if (_busy.Remove(stopped.Identity, out bool wasBusy) && wasBusy)
                    {
                        tracker.End();
                    }
                }

                break;
        }
    }

    /// <inheritdoc />
    public void OnCompleted()
    {
    }

    /// <inheritdoc />
    public void OnError(Exception error)
    {
    }

    private void Mark(object identity, bool busy, bool onlyIfNew)
    {
        lock (_lock)
        {
            if (_stopped.TryGetValue(identity, out _))
            {
                return;
            }

            bool known = _busy.TryGetValue(identity, out bool wasBusy);
            if (known && (onlyIfNew || wasBusy == busy))
            {
                return;
            }

            _busy[identity] = busy;
            if (busy)
            {
                tracker.Begin();
            }
            else if (known)
            {
                tracker.End();
            }
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            foreach (bool busy in _busy.Values)
            {
                if (busy)
                {
                    tracker.End();
                }
            }

            _busy.Clear();
        }
    }
}
