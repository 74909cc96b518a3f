namespace CityTwin.Scenarios.Models;

/// <summary>A reach of a river channel between two points of interest (gauges, the district's edges).</summary>
/// <param name="LengthM">Length along the channel, m.</param>
/// <param name="Channel">Its cross-section, roughness and bed slope.</param>
public sealed record RiverReach(double LengthM, RectangularChannel Channel);
