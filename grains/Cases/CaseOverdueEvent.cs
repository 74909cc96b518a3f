using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>A case's current stage went past its SLA; <see cref="FirstTime"/> when no earlier stage had.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseOverdueEvent(DateTimeOffset ReportedAt, bool FirstTime);
