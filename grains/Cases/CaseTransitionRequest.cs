using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// An actor's request to move a case (over the API, <see cref="Actor"/> is the name of the caller's key). <see cref="Assignee"/> names a responder or vehicle for a manual dispatch (empty:
/// the category's plan picks the nearest able unit). <see cref="ExpectedSequence"/>, when given, is the number of
/// timeline entries the actor saw; a case that moved on since then answers with a conflict.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseTransitionRequest(CaseAction Action, string Actor, string? Note = null)
{
    /// <summary>Evidence (photo URLs); an after-photo is required to resolve.</summary>
    public string[] Evidence { get; init; } = [];

    /// <summary>The unit to dispatch (manual assignment).</summary>
    public string? Assignee { get; init; }

    /// <summary>The timeline length the actor based the request on (optimistic concurrency), or null.</summary>
    public int? ExpectedSequence { get; init; }

    /// <summary>
    /// Who the caller says acted (free text, e.g. the grid worker an operator types in for), kept beside
    /// <see cref="Actor"/> in the timeline; <see cref="Actor"/> is the authenticated key's name and is what counts.
    /// </summary>
    public string? StatedActor { get; init; }
}
