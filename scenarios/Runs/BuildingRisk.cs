namespace CityTwin.Scenarios.Runs;

/// <summary>
/// A building reached by flood water: the deepest water in its cell and when the cell first passed 0.15 m (kerb height,
/// water enters ground floors) and 0.5 m (unsafe to wade, evacuate).
/// </summary>
public sealed record BuildingRisk(string BuildingId, string? CellId, int Occupants, int Elderly, double MaxDepthM, DateTimeOffset? FirstAbove015At, DateTimeOffset? FirstAbove05At);
