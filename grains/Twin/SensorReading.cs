using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>
/// One measurement delivered to a sensor or gauge grain (already durable in the event log). <see cref="LogSeq"/> is its
/// seq in the event log (0 for a fork's or drill's own input) and <see cref="LogLow"/> the seq at or below which every
/// logged input was already applied when it was sent: with them the grain applies each logged reading once, however
/// often it is delivered (see <see cref="Silo.EventLog.AppliedInputs"/>).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record SensorReading(double Value, string? Unit, DateTimeOffset At, long LogSeq = 0, long LogLow = 0)
{
    /// <summary>The event-log kind of readings (keyed by sensor or gauge id; payload {value, unit}).</summary>
    public const string LogKind = "reading";
}
