namespace CityTwin.Grains.Geo;

/// <summary>
/// Receives the results of a <see cref="PointGridIndex{TKey}"/> query one at a time, so a caller can filter, count and
/// keep a page without a list of every hit. Called under the index's read lock: keep it cheap and never update the index.
/// </summary>
public interface ISpatialVisitor<TKey>
{
    /// <summary>One key found at <paramref name="position"/>; <paramref name="distanceMetres"/> is its distance from a radius query's centre, NaN for box, polygon and full scans.</summary>
    void Visit(TKey key, GeoPoint position, double distanceMetres);
}
