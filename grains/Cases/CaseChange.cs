using CityTwin.Grains.Geo;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A change of a case, published on the "case-changes" stream (key: case id) for live pushes to the area's
/// subscribers and to the assignee. <see cref="Kind"/> is "created", "transition", "escalated" or "alert-joined".
/// </summary>
public sealed record CaseChange(
    string CaseId, string Kind, string Status, string Category, string Source, string Severity, GeoPoint Location,
    string? GridId, string? CommunityId, string? StreetId, string? DistrictId, string? Assignee, string Level, bool Overdue,
    DateTimeOffset At, CaseTimelineEntry? Entry);
