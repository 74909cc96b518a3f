using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// One immutable entry of a case's audit trail: a transition, an escalation or a joined alert, with who, when (silo
/// clock), why and the evidence. Entries are only ever appended.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseTimelineEntry(
    int Sequence, string Action, string From, string To, string Actor, DateTimeOffset At, string? Note, string[] Evidence)
{
    /// <summary>Facts of the step (assigned unit and its distance, escalation level, alert id).</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
