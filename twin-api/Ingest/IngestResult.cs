namespace CityTwin.TwinApi.Ingest;

/// <summary>The answer to a batch: how many items were accepted (durably logged) and why the others were rejected.</summary>
public sealed record IngestResult(int Accepted, int Rejected, IReadOnlyList<ItemError> Errors);
