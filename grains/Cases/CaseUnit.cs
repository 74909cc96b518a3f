using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A unit sent to a case: "responder" or "vehicle", primary (the assignee who signs for it) or support. Distances are
/// straight-line metres and the travel estimate (straight line times the catalogue's network factor); null for a
/// manual assignment of a unit without a known position.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseUnit(string Type, string Id, string Role, string? Department, double? DistanceM, double? TravelDistanceM, DateTimeOffset AssignedAt);
