using CityTwin.Silo.Storage;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>Keeps one cell's case counts by day and category; written on a timer when changed, like the area aggregates.</summary>
[GrainType("casecellstats")]
public sealed class CaseCellStatsGrain([PersistentState("stats", SiloStore.StorageName)] IPersistentState<CaseCellStatsState> stats)
    : PeriodicallyWrittenGrain<CaseCellStatsState>(stats), ICaseCellStatsGrain
{
    /// <inheritdoc />
    public Task RecordReportedAsync(CaseReportedEvent e)
    {
        int day = DateOnly.FromDateTime(e.ReportedAt.UtcDateTime).DayNumber;
        if (!State.Days.TryGetValue(day, out Dictionary<string, int>? counts))
        {
            State.Days[day] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        counts[e.Category] = counts.GetValueOrDefault(e.Category) + 1;
        Changed();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CountAsync(DateTimeOffset? from, DateTimeOffset? to, string? category)
    {
        (int first, int last) = CaseAreaStatsGrain.DayRange(from, to);
        int total = 0;
        foreach ((int day, Dictionary<string, int> counts) in State.Days)
        {
            if (day >= first && day <= last)
            {
                total += category is null ? counts.Values.Sum() : counts.GetValueOrDefault(category);
            }
        }

        return Task.FromResult(total);
    }
}
