using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A base for vehicles (police, fire, ambulance station or truck depot).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record StationDefinition(string Id, StationKind Kind, string Name, GeoPoint Position);
