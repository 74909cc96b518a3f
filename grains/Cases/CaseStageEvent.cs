using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A case left a stage: it spent <see cref="StageSeconds"/> in status <see cref="From"/> and is now in <see cref="To"/>.
/// <see cref="EndToEndSeconds"/> is set when it closed; <see cref="StageWasOverdue"/> when the stage it left was past its SLA.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseStageEvent(DateTimeOffset ReportedAt, string From, string To, double StageSeconds, double? EndToEndSeconds, bool StageWasOverdue);
