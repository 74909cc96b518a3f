namespace CityTwin.Scenarios.Loading;

/// <summary>What <see cref="TwinStartup"/> did: the district's name, whether it was loaded (or restored), entities and cases, time taken, and the logged readings replayed after the last checkpoint (a restart after a crash).</summary>
public sealed record TwinStartupResult(string? District, bool Loaded, int Entities, int Cases, TimeSpan Elapsed, long Replayed = 0);
