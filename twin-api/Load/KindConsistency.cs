namespace CityTwin.TwinApi.Load;

/// <summary>
/// The bookkeeping check of one input kind: sent = accepted + rejected, and where the harness can count them, the event
/// log (and for citizen reports the case store) gained exactly the accepted items. Null counts were not read (over
/// HTTP only the case store is counted, through GET /api/cases).
/// </summary>
public sealed record KindConsistency(
    string Kind,
    string? EventLogKind,
    long Sent,
    long Accepted,
    long Rejected,
    long? Logged,
    long? Stored,
    bool CountsAddUp,
    bool? NothingLost);
