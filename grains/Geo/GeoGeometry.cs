using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Geo;

/// <summary>Builds NetTopologySuite geometries (SRID 4326) from <see cref="GeoPoint"/> data.</summary>
public static class GeoGeometry
{
    /// <summary>The shared factory for WGS84 geometries; NetTopologySuite factories are immutable.</summary>
    public static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), UtmProjection.Wgs84Srid);

    /// <summary>A Point at <paramref name="point"/>.</summary>
    public static Point ToPoint(GeoPoint point) => Wgs84.CreatePoint(new Coordinate(point.Lon, point.Lat));

    /// <summary>A LineString through <paramref name="points"/>.</summary>
    public static LineString ToLineString(ReadOnlySpan<GeoPoint> points) => Wgs84.CreateLineString(ToCoordinates(points, close: false));

    /// <summary>A Polygon with <paramref name="ring"/> as its shell; the ring is closed if it is open.</summary>
    public static Polygon ToPolygon(ReadOnlySpan<GeoPoint> ring) => Wgs84.CreatePolygon(ToCoordinates(ring, close: true));

    private static Coordinate[] ToCoordinates(ReadOnlySpan<GeoPoint> points, bool close)
    {
        bool addClosing = close && points.Length > 0 && points[0] != points[^1];
        var coordinates = new Coordinate[points.Length + (addClosing ? 1 : 0)];
        for (int i = 0; i < points.Length; i++)
        {
            coordinates[i] = new Coordinate(points[i].Lon, points[i].Lat);
        }

        if (addClosing)
        {
            coordinates[^1] = coordinates[0].Copy();
        }

        return coordinates;
    }
}
