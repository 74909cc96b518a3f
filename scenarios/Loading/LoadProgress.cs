namespace CityTwin.Scenarios.Loading;

/// <summary>Progress of loading a district: the stage ("sensors") and how many of its entities are done.</summary>
public sealed record LoadProgress(string Stage, int Done, int Total);
