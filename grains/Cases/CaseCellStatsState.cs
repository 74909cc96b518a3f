namespace CityTwin.Grains.Cases;

/// <summary>The persistent aggregates of one raster cell: reported cases by UTC day number and category.</summary>
public sealed class CaseCellStatsState
{
    /// <summary>Counts by day number, then category.</summary>
    public Dictionary<int, Dictionary<string, int>> Days { get; set; } = [];
}
