using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>One case in the list read model (<see cref="CaseIndex"/>): what the list filters and shows.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseSummary(
    string Id, CaseStatus Status, CaseSource Source, string Category, string Severity, GeoPoint Location,
    string? GridId, string? CommunityId, string? StreetId, string? DistrictId, string? CellId, string? Assignee, string Level, bool Overdue,
    DateTimeOffset ReportedAt, DateTimeOffset UpdatedAt);
