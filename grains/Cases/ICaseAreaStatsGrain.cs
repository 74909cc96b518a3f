using Orleans;
using Orleans.Concurrency;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Case aggregates of one area (grid, community, street or district; key: area id), fed one-way by case grains and
/// queried by the KPI and heat-map endpoints.
/// </summary>
public interface ICaseAreaStatsGrain : IGrainWithStringKey
{
    /// <summary>Counts a reported case.</summary>
    [OneWay]
    Task RecordReportedAsync(CaseReportedEvent e);

    /// <summary>Counts a stage a case left and its new status.</summary>
    [OneWay]
    Task RecordStageAsync(CaseStageEvent e);

    /// <summary>Counts a stage that went past its SLA.</summary>
    [OneWay]
    Task RecordOverdueAsync(CaseOverdueEvent e);

    /// <summary>KPIs over the cases reported in [from, to) (whole UTC days; null: unbounded).</summary>
    Task<KpiReport> GetKpisAsync(DateTimeOffset? from, DateTimeOffset? to);

    /// <summary>
    /// Reports by local weekday (rows, Monday first) and hour of day (columns) in [from, to), optionally of one category;
    /// local time is UTC plus <paramref name="utcOffsetHours"/>.
    /// </summary>
    Task<int[][]> GetHourWeekdayAsync(DateTimeOffset? from, DateTimeOffset? to, string? category, int utcOffsetHours);

    /// <summary>The cells of this area that have cases.</summary>
    Task<string[]> GetCellsAsync();
}
