namespace CityTwin.Scenarios.Runs;

/// <summary>
/// One building on an evacuation list, in order: higher risk tier first, then buildings with elderly residents, then
/// the earlier or stronger exposure. <see cref="Measure"/> is the flood depth (m) or gas level (fraction of LEL, or ppm CO).
/// </summary>
public sealed record EvacuationEntry(int Rank, string BuildingId, string Tier, int Occupants, int Elderly, double Measure, string Unit, DateTimeOffset? At, string Reason);
