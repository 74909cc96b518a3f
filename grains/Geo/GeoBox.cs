namespace CityTwin.Grains.Geo;

/// <summary>An axis-aligned WGS84 bounding box in degrees (does not cross the antimeridian).</summary>
public readonly record struct GeoBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    /// <summary>True when <paramref name="point"/> lies inside the box or on its edge.</summary>
    public bool Contains(GeoPoint point) =>
        point.Lon >= MinLon && point.Lon <= MaxLon && point.Lat >= MinLat && point.Lat <= MaxLat;

    /// <summary>The smallest box holding every point in <paramref name="points"/>.</summary>
    public static GeoBox Enclosing(ReadOnlySpan<GeoPoint> points)
    {
        if (points.IsEmpty)
        {
            throw new ArgumentException("At least one point is needed to build a box.", nameof(points));
        }

        double minLon = double.MaxValue, minLat = double.MaxValue, maxLon = double.MinValue, maxLat = double.MinValue;
        foreach (GeoPoint p in points)
        {
            minLon = Math.Min(minLon, p.Lon);
            minLat = Math.Min(minLat, p.Lat);
            maxLon = Math.Max(maxLon, p.Lon);
            maxLat = Math.Max(maxLat, p.Lat);
        }

        return new GeoBox(minLon, minLat, maxLon, maxLat);
    }
}
