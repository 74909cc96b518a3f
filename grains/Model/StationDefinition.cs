using CityTwin.Grains.Geo;

namespace CityTwin.Grains.Model;

/// <summary>A base for vehicles (police, fire, ambulance station or truck depot).</summary>
public sealed record StationDefinition(string Id, StationKind Kind, string Name, GeoPoint Position);
