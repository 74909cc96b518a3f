namespace CityTwin.Grains.Cases;

/// <summary>The persistent aggregates of one area: per-day case statistics and the cells that have cases.</summary>
public sealed class CaseAreaStatsState
{
    /// <summary>Statistics by UTC day number (<see cref="DateOnly.DayNumber"/>) of the report.</summary>
    public Dictionary<int, CaseDayStats> Days { get; set; } = [];

    /// <summary>
    /// The same statistics rolled up by month (key: year * 12 + month - 1), so a query over a year merges about a dozen
    /// months and the days at its ends instead of 365 days.
    /// </summary>
    public Dictionary<int, CaseDayStats> Months { get; set; } = [];

    /// <summary>Cells with at least one case (the heat map asks only these).</summary>
    public HashSet<string> Cells { get; set; } = new(StringComparer.Ordinal);
}
