using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>The answer to a transition: the case as it is now, and on failure why and what is allowed instead.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseTransitionResult(CaseOutcome Outcome, CaseView? Case, string? Error, string[] AllowedActions)
{
    /// <summary>The field a validation error is about ("evidence", "assignee", "actor").</summary>
    public string? Field { get; init; }
}
