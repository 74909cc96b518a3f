namespace CityTwin.TwinApi.Ingest;

/// <summary>One validated sensor reading from a telemetry batch.</summary>
public sealed record ReadingInput(string SensorId, double Value, string? Unit, DateTimeOffset At);
