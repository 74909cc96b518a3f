using System.Text.Json.Serialization;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>What an actor does to a case; each action is legal in some statuses only (see <see cref="CaseStateMachine"/>).</summary>
[GenerateSerializer]
public enum CaseAction
{
    /// <summary>Confirms the report and files the case.</summary>
    Verify,

    /// <summary>Rejects the report (false alarm, duplicate).</summary>
    Reject,

    /// <summary>Assigns a unit: the one named, or the nearest able one by the category's plan.</summary>
    Dispatch,

    /// <summary>The assigned unit signs for the case.</summary>
    Accept,

    /// <summary>The assigned unit declines; the case goes back to dispatch.</summary>
    Decline,

    /// <summary>Handling starts on site.</summary>
    Start,

    /// <summary>Handling is done; needs after-photo evidence.</summary>
    Resolve,

    /// <summary>The check of the result passed.</summary>
    Check,

    /// <summary>The check failed: the case is reopened and goes back to the assigned unit.</summary>
    [JsonStringEnumMemberName("fail-check")]
    FailCheck,

    /// <summary>Closes a checked case.</summary>
    Close,

    /// <summary>A grid worker closes a small issue on the spot (categories that allow it; needs evidence).</summary>
    [JsonStringEnumMemberName("close-on-spot")]
    CloseOnSpot,
}
