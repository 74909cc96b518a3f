using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A report that opens a case, from any source. <see cref="Area"/> is a polygon for drone and satellite change
/// detections; <see cref="Location"/> is then its centroid. Area ids may be given (sensor alerts know them) or are
/// found from the location.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseReport(CaseSource Source, string Category, GeoPoint Location, string? Description)
{
    /// <summary>The polygon of a change detection, lon/lat, if any.</summary>
    public GeoPoint[]? Area { get; init; }

    /// <summary>Photo URLs sent with the report.</summary>
    public string[] PhotoUrls { get; init; } = [];

    /// <summary>Who to call back (citizen, hotline caller).</summary>
    public Contact? Contact { get; init; }

    /// <summary>Who or what reported it: a user, a hotline operator, a responder id, a sensor id (free text over the API).</summary>
    public string? Reporter { get; init; }

    /// <summary>The name of the API key that filed the report (the actor of its timeline entry), or null for the twin's own reports.</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>An id in the source system (hotline ticket, camera event, alert id).</summary>
    public string? ExternalRef { get; init; }

    /// <summary>The building concerned, if known.</summary>
    public string? BuildingId { get; init; }

    /// <summary>The governance grid, if known.</summary>
    public string? GridId { get; init; }

    /// <summary>The community, if known.</summary>
    public string? CommunityId { get; init; }

    /// <summary>The street, if known.</summary>
    public string? StreetId { get; init; }

    /// <summary>Extra facts from the source (a muck truck's trajectory, a detection's confidence).</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
