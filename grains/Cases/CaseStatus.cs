using System.Text.Json.Serialization;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>Where a case stands in the loop discover -> verify -> dispatch -> sign for -> handle -> check -> close.</summary>
[GenerateSerializer]
public enum CaseStatus
{
    /// <summary>Reported by a source, not yet verified.</summary>
    Reported,

    /// <summary>Verified and filed; waiting for dispatch.</summary>
    Verified,

    /// <summary>Found not to be a case (false alarm, duplicate, out of scope). Terminal.</summary>
    Rejected,

    /// <summary>Assigned to a unit that has not signed for it yet.</summary>
    Dispatched,

    /// <summary>Signed for by the assigned unit (on its way).</summary>
    Accepted,

    /// <summary>Being handled on site.</summary>
    [JsonStringEnumMemberName("in-progress")]
    InProgress,

    /// <summary>Handled, with after-photo evidence; waiting for the check.</summary>
    Resolved,

    /// <summary>The check passed; waiting to be closed.</summary>
    Checked,

    /// <summary>Closed. Terminal.</summary>
    Closed,
}
