using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A change of a case, published on the case-changes feed of <see cref="Twin.TwinFeeds"/> for live pushes to the area's
/// subscribers and to the assignee. <see cref="Kind"/> is "created", "transition", "escalated" or "alert-joined".
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseChange(
    string CaseId, string Kind, string Status, string Category, string Source, string Severity, GeoPoint Location,
    string? GridId, string? CommunityId, string? StreetId, string? DistrictId, string? Assignee, string Level, bool Overdue,
    DateTimeOffset At, CaseTimelineEntry? Entry);
