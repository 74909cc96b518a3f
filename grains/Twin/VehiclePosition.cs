using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A vehicle position report; muck trucks also report whether the load is covered and its weight. <see cref="LogSeq"/>
/// and <see cref="LogLow"/> are as in <see cref="SensorReading"/>: the report's seq in the event log (0 when not logged)
/// and the seq every earlier logged input was applied through, so each logged report is applied once.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record VehiclePosition(GeoPoint Position, DateTimeOffset At, double? SpeedKmh, bool? Covered, double? LoadTonnes, long LogSeq = 0, long LogLow = 0)
{
    /// <summary>The event-log kind of position reports (keyed by vehicle id).</summary>
    public const string LogKind = "position";
}
