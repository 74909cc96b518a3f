using Orleans;
using Orleans.Concurrency;

namespace CityTwin.Grains.Cases;

/// <summary>Case counts of one raster cell (key: cell id), the unit of the heat map.</summary>
public interface ICaseCellStatsGrain : IGrainWithStringKey
{
    /// <summary>Counts a reported case.</summary>
    [OneWay]
    Task RecordReportedAsync(CaseReportedEvent e);

    /// <summary>Cases reported in [from, to) (whole UTC days), optionally of one category.</summary>
    Task<int> CountAsync(DateTimeOffset? from, DateTimeOffset? to, string? category);
}
