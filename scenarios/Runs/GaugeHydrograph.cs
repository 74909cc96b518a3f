namespace CityTwin.Scenarios.Runs;

/// <summary>The routed flow and stage at one gauge through a run, at the reporting cadence, with its peak.</summary>
/// <param name="GaugeId">The gauge.</param>
/// <param name="Name">Its display name.</param>
/// <param name="ChainageM">Its distance along the river from the district's upstream edge, m.</param>
/// <param name="PeakFlowM3s">Largest flow, m^3/s.</param>
/// <param name="PeakLevelM">Largest stage, m above datum.</param>
/// <param name="PeakAt">When the stage peaked.</param>
/// <param name="Points">Flow and stage per reporting instant, from the start.</param>
public sealed record GaugeHydrograph(string GaugeId, string? Name, double ChainageM, double PeakFlowM3s, double PeakLevelM, DateTimeOffset PeakAt, IReadOnlyList<HydrographPoint> Points);
