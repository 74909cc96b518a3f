using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>How a request to a case ended.</summary>
[GenerateSerializer]
public enum CaseOutcome
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>No such case.</summary>
    NotFound,

    /// <summary>The action is not legal in the case's status (or the case moved on since the actor looked).</summary>
    Conflict,

    /// <summary>The request is incomplete or wrong (missing evidence, unknown assignee, actor not allowed).</summary>
    Invalid,

    /// <summary>No able unit is available for the dispatch plan; the case stays where it was.</summary>
    NoUnit,
}
