using CityTwin.Silo;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A grain of small in-memory aggregates whose state is written on a timer when it changed (and on deactivation), not
/// per update: the case statistics grains take every case event of their area or cell.
/// </summary>
public abstract class PeriodicallyWrittenGrain<TState>(IPersistentState<TState> state) : Grain
    where TState : class, new()
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(5);
    private bool _changed;

    /// <summary>The aggregates.</summary>
    protected TState State => state.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RegisterGrainTimer(WriteIfChangedAsync, WriteEvery, WriteEvery);
        return Task.CompletedTask;
    }

    /// <summary>Marks the aggregates changed, so the next tick writes them.</summary>
    protected void Changed() => _changed = true;

    private async Task WriteIfChangedAsync(CancellationToken cancellationToken)
    {
        if (_changed)
        {
            _changed = false;
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
