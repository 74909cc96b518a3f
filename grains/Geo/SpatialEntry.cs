namespace CityTwin.Grains.Geo;

/// <summary>One result of a box or polygon query: the key and its current position.</summary>
public readonly record struct SpatialEntry<TKey>(TKey Key, GeoPoint Position);
