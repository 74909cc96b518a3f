namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The answer to a batch: how many items were accepted (durably logged) and why the others were rejected.
/// <see cref="Deferred"/> counts accepted readings the live twin was too busy to apply before the answer; they are
/// applied in the background shortly after. <see cref="Unapplied"/> counts accepted readings whose grain failed while
/// applying them (the server logs why). Both are in the event log already, so the batch must not be sent again.
/// </summary>
public sealed record IngestResult(int Accepted, int Rejected, IReadOnlyList<ItemError> Errors, int Deferred = 0, int Unapplied = 0);
