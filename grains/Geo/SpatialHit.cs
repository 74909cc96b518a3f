namespace CityTwin.Grains.Geo;

/// <summary>One result of a radius query: the key, its position and its distance from the query centre in metres.</summary>
public readonly record struct SpatialHit<TKey>(TKey Key, GeoPoint Position, double DistanceMetres);
