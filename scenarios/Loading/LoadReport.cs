namespace CityTwin.Scenarios.Loading;

/// <summary>What a district load did: entities initialised by type and how long it took.</summary>
public sealed record LoadReport(IReadOnlyDictionary<string, int> Entities, TimeSpan Elapsed)
{
    /// <summary>All entities initialised.</summary>
    public int Total => Entities.Values.Sum();
}
