using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>One measurement delivered to a sensor or gauge grain (already durable in the event log).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record SensorReading(double Value, string? Unit, DateTimeOffset At);
