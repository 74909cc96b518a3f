namespace CityTwin.Scenarios.Runs;

/// <summary>A vehicle, station or road cell cut off by water deeper than 0.3 m (cars float), and since when.</summary>
public sealed record CutOffEntity(string EntityId, string Type, DateTimeOffset At, double MaxDepthM);
