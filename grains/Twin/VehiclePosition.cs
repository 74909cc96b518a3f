using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>A vehicle position report; muck trucks also report whether the load is covered and its weight.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record VehiclePosition(GeoPoint Position, DateTimeOffset At, double? SpeedKmh, bool? Covered, double? LoadTonnes);
