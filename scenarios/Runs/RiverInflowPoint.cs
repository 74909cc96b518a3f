namespace CityTwin.Scenarios.Runs;

/// <summary>A point of an upstream inflow hydrograph: <paramref name="M3s"/> cubic metres per second at time <paramref name="At"/>.</summary>
public sealed record RiverInflowPoint(TimeSpan At, double M3s);
