namespace CityTwin.Scenarios.Runs;

/// <summary>A point of a river stage hydrograph: the water <paramref name="RiseM"/> metres above normal at time <paramref name="At"/>.</summary>
public sealed record RiverStagePoint(TimeSpan At, double RiseM);
