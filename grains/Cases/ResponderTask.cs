using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>A case assigned to a responder, with the responder's status for it ("dispatched", "en-route", "on-scene").</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record ResponderTask(string CaseId, string Category, string Status, DateTimeOffset AssignedAt, DateTimeOffset UpdatedAt);
