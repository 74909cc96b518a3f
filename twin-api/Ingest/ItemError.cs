namespace CityTwin.TwinApi.Ingest;

/// <summary>Why one item of a batch was rejected: its index in the batch, its id if it had one, and the reason.</summary>
public sealed record ItemError(int Index, string? Id, string Error);
