using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A grain of small in-memory aggregates whose state is written a few seconds after it changed (on the grain clock), and
/// on deactivation like any write-behind grain, not per update: the case statistics grains take every case event of
/// their area or cell. The timer is one-shot and armed by a change, so an idle aggregate never ticks.
/// </summary>
/// <typeparam name="TState">The aggregates.</typeparam>
public abstract class PeriodicallyWrittenGrain<TState>(IPersistentState<TState> state) : WriteBehindGrain<TState>(state)
    where TState : class, new()
{
    private static readonly TimeSpan WriteAfter = TimeSpan.FromSeconds(5);
    private IGrainTimer? _writeTimer;
    private bool _armed;

    /// <summary>Marks the aggregates changed, so they are written within <see cref="WriteAfter"/>.</summary>
    protected void Changed()
    {
        if (_armed)
        {
            return;
        }

        _armed = true;
        if (_writeTimer is null)
        {
            _writeTimer = this.RegisterGrainTimer(static (self, _) => self.WriteChangesAsync(), this, new GrainTimerCreationOptions(WriteAfter, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _writeTimer.Change(WriteAfter, Timeout.InfiniteTimeSpan);
        }
    }

    private Task WriteChangesAsync()
    {
        _armed = false;
        return WriteStateAsync();
    }
}
