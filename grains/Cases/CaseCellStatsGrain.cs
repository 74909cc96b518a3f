using CityTwin.Silo;

namespace CityTwin.Grains.Cases;

/// <summary>Keeps one cell's case counts by day and category; written on a timer when changed, like the area aggregates.</summary>
public sealed class CaseCellStatsGrain([PersistentState("stats")] IPersistentState<CaseCellStatsState> state) : Grain, ICaseCellStatsGrain
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);
    private bool _dirty;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RegisterGrainTimer(FlushAsync, FlushEvery, FlushEvery);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RecordReportedAsync(CaseReportedEvent e)
    {
        int day = DateOnly.FromDateTime(e.ReportedAt.UtcDateTime).DayNumber;
        if (!state.State.Days.TryGetValue(day, out Dictionary<string, int>? counts))
        {
            state.State.Days[day] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        counts[e.Category] = counts.GetValueOrDefault(e.Category) + 1;
        _dirty = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CountAsync(DateTimeOffset? from, DateTimeOffset? to, string? category)
    {
        (int first, int last) = CaseAreaStatsGrain.DayRange(from, to);
        int total = 0;
        foreach ((int day, Dictionary<string, int> counts) in state.State.Days)
        {
            if (day >= first && day <= last)
            {
                total += category is null ? counts.Values.Sum() : counts.GetValueOrDefault(category);
            }
        }

        return Task.FromResult(total);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            _dirty = false;
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
