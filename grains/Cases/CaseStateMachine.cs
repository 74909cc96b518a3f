namespace CityTwin.Grains.Cases;

/// <summary>
/// The legal moves of a case. A failed check reopens the case to <see cref="CaseStatus.Dispatched"/>, so the same unit
/// has to sign for the rework again and the accept/handle times of the second round are recorded like the first.
/// </summary>
public static class CaseStateMachine
{
    private static readonly Dictionary<(CaseStatus, CaseAction), CaseStatus> Moves = new()
    {
        [(CaseStatus.Reported, CaseAction.Verify)] = CaseStatus.Verified,
        [(CaseStatus.Reported, CaseAction.Reject)] = CaseStatus.Rejected,
        [(CaseStatus.Reported, CaseAction.CloseOnSpot)] = CaseStatus.Closed,
        [(CaseStatus.Verified, CaseAction.Dispatch)] = CaseStatus.Dispatched,
        [(CaseStatus.Verified, CaseAction.CloseOnSpot)] = CaseStatus.Closed,
        [(CaseStatus.Dispatched, CaseAction.Accept)] = CaseStatus.Accepted,
        [(CaseStatus.Dispatched, CaseAction.Decline)] = CaseStatus.Verified,
        [(CaseStatus.Accepted, CaseAction.Start)] = CaseStatus.InProgress,
        [(CaseStatus.InProgress, CaseAction.Resolve)] = CaseStatus.Resolved,
        [(CaseStatus.Resolved, CaseAction.Check)] = CaseStatus.Checked,
        [(CaseStatus.Resolved, CaseAction.FailCheck)] = CaseStatus.Dispatched,
        [(CaseStatus.Checked, CaseAction.Close)] = CaseStatus.Closed,
    };

    /// <summary>The status after <paramref name="action"/>, or null when the action is illegal in <paramref name="status"/>.</summary>
    public static CaseStatus? Next(CaseStatus status, CaseAction action, bool onSpotAllowed) =>
        action == CaseAction.CloseOnSpot && !onSpotAllowed ? null
        : Moves.TryGetValue((status, action), out CaseStatus next) ? next : null;

    // Allowed actions per status, without and with on-the-spot closing, computed once (asked on every transition).
    private static readonly CaseAction[][][] AllowedTable = Enum.GetValues<CaseStatus>()
        .Select(s => new[] { false, true }.Select(onSpot => Enum.GetValues<CaseAction>().Where(a => Next(s, a, onSpot) is not null).ToArray()).ToArray())
        .ToArray();

    /// <summary>The actions legal in <paramref name="status"/>, in declaration order.</summary>
    public static IReadOnlyList<CaseAction> Allowed(CaseStatus status, bool onSpotAllowed) => AllowedTable[(int)status][onSpotAllowed ? 1 : 0];

    /// <summary>True for statuses no action leaves.</summary>
    public static bool IsTerminal(CaseStatus status) => status is CaseStatus.Closed or CaseStatus.Rejected;

    /// <summary>Actions that need evidence (an after-photo).</summary>
    public static bool NeedsEvidence(CaseAction action) => action is CaseAction.Resolve or CaseAction.CloseOnSpot;
}
