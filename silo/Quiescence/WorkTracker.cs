namespace CityTwin.Silo.Quiescence;

/// <summary>
/// Counts work in flight in one silo (grain calls queued or running, one-way calls in transit, fired timer ticks not yet
/// started, feed items not yet handled), so a silo on a virtual clock can "advance, then settle": time moves on only once
/// everything the last firing caused has finished. Installed only in silos that run on a <see cref="VirtualTimeProvider"/>
/// (forks, drills, tests); the live silo pays nothing for it.
/// </summary>
public sealed class WorkTracker
{
    private long _inFlight;
    private long _completed;

    /// <summary>Work items begun and not yet ended.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Work items ended so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Marks the start of a work item.</summary>
    public void Begin() => Interlocked.Increment(ref _inFlight);

    /// <summary>Marks the end of a work item begun with <see cref="Begin"/>.</summary>
    public void End()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _completed);
    }

    /// <summary>
    /// Completes when no work is in flight and none started during a short real-time grace period. Reminder ticks are
    /// counted exactly (<see cref="ReminderTickTracker"/>); the second look is a safety net for other work Orleans starts
    /// on its own after a timer fires.
    /// </summary>
    public async Task WaitForQuiescenceAsync(CancellationToken cancellationToken = default)
    {
        int spins = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (InFlight == 0)
            {
                long completed = Completed;
                await Task.Delay(1, cancellationToken);
                if (InFlight == 0 && Completed == completed)
                {
                    return;
                }

                continue;
            }

            if (++spins < 50)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1, cancellationToken);
            }
        }
    }
}
