using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Geo;

/// <summary>
/// Writes RFC 7946 GeoJSON with a <see cref="Utf8JsonWriter"/>: positions as <c>[lon, lat]</c>, polygon
/// exterior rings counter-clockwise and holes clockwise. Geometries are expected in WGS84.
/// </summary>
/// <remarks>NetTopologySuite.IO.GeoJSON does not restore here, hence this small writer.</remarks>
public static class GeoJsonWriter
{
    /// <summary>Writes a bare position array <c>[lon, lat]</c>.</summary>
    public static void WritePosition(Utf8JsonWriter writer, GeoPoint point)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue(point.Lon);
        writer.WriteNumberValue(point.Lat);
        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes a bare position array rounded to <paramref name="decimals"/> decimal places of a degree (6 places are about
    /// 0.1 m), which keeps maps' payloads about half the size of full double precision.
    /// </summary>
    public static void WritePosition(Utf8JsonWriter writer, GeoPoint point, int decimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteNumberValue(Math.Round(point.Lon, decimals));
        writer.WriteNumberValue(Math.Round(point.Lat, decimals));
        writer.WriteEndArray();
    }

    /// <summary>Writes a Point geometry object.</summary>
    public static void WritePoint(Utf8JsonWriter writer, GeoPoint point)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "Point");
        writer.WritePropertyName("coordinates");
        WritePosition(writer, point);
        writer.WriteEndObject();
    }

    /// <summary>Writes a LineString geometry object from at least two positions.</summary>
    public static void WriteLineString(Utf8JsonWriter writer, ReadOnlySpan<GeoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (points.Length < 2)
        {
            throw new ArgumentException("A LineString needs at least two positions.", nameof(points));
        }

        writer.WriteStartObject();
        writer.WriteString("type", "LineString");
        writer.WritePropertyName("coordinates");
        writer.WriteStartArray();
        foreach (GeoPoint p in points)
        {
            WritePosition(writer, p);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes a Point geometry object with its position rounded to <paramref name="decimals"/> decimal places.</summary>
    public static void WritePoint(Utf8JsonWriter writer, GeoPoint point, int decimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "Point");
        writer.WritePropertyName("coordinates");
        WritePosition(writer, point, decimals);
        writer.WriteEndObject();
    }

    /// <summary>Writes a Polygon geometry with one exterior ring; the ring is closed and turned counter-clockwise if needed.</summary>
    public static void WritePolygon(Utf8JsonWriter writer, ReadOnlySpan<GeoPoint> exteriorRing) => WritePolygon(writer, exteriorRing, decimals: null);

    /// <summary>
    /// Writes a Polygon geometry with one exterior ring as <see cref="WritePolygon(Utf8JsonWriter, ReadOnlySpan{GeoPoint})"/>
    /// does, its positions rounded to <paramref name="decimals"/> decimal places (null: full precision).
    /// </summary>
    public static void WritePolygon(Utf8JsonWriter writer, ReadOnlySpan<GeoPoint> exteriorRing, int? decimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "Polygon");
        writer.WritePropertyName("coordinates");
        writer.WriteStartArray();
        WriteRing(writer, exteriorRing, counterClockwise: true, decimals);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes any NetTopologySuite geometry (Point, LineString, Polygon, Multi*, GeometryCollection).</summary>
    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(geometry);
        writer.WriteStartObject();

        // GeoJSON has no LinearRing type; a bare ring is written as the closed LineString it is.
        writer.WriteString("type", geometry is LinearRing ? "LineString" : geometry.GeometryType);
        if (geometry is GeometryCollection collection and not (MultiPoint or MultiLineString or MultiPolygon))
        {
            writer.WriteStartArray("geometries");
            for (int i = 0; i < collection.NumGeometries; i++)
            {
                WriteGeometry(writer, collection.GetGeometryN(i));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }

        writer.WritePropertyName("coordinates");
        WriteCoordinates(writer, geometry);
        writer.WriteEndObject();
    }

    /// <summary>Writes a Feature with an optional id, a geometry and properties written by <paramref name="writeProperties"/>.</summary>
    public static void WriteFeature<TState>(
        Utf8JsonWriter writer, string? id, Geometry geometry, TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        WriteFeature(writer, id, (geometry, state, writeProperties),
            static (w, s) => WriteGeometry(w, s.geometry),
            static (w, s) => s.writeProperties(w, s.state));
    }

    /// <summary>Writes a Point Feature with an optional id and properties written by <paramref name="writeProperties"/>.</summary>
    public static void WriteFeature<TState>(
        Utf8JsonWriter writer, string? id, GeoPoint point, TState state, Action<Utf8JsonWriter, TState> writeProperties)
    {
        WriteFeature(writer, id, (point, state, writeProperties),
            static (w, s) => WritePoint(w, s.point),
            static (w, s) => s.writeProperties(w, s.state));
    }

    /// <summary>
    /// Writes a Feature whose geometry and properties come from callbacks; the state argument lets callers
    /// avoid a closure allocation per feature. <paramref name="writeProperties"/> writes the members of the
    /// properties object (the braces are written here).
    /// </summary>
    public static void WriteFeature<TState>(
        Utf8JsonWriter writer, string? id, TState state, Action<Utf8JsonWriter, TState> writeGeometry, Action<Utf8JsonWriter, TState>? writeProperties)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(writeGeometry);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        writer.WritePropertyName("geometry");
        writeGeometry(writer, state);
        writer.WriteStartObject("properties");
        writeProperties?.Invoke(writer, state);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Opens a FeatureCollection: write features after it, then call <see cref="WriteEndFeatureCollection"/>.</summary>
    public static void WriteStartFeatureCollection(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
    }

    /// <summary>Closes a FeatureCollection opened by <see cref="WriteStartFeatureCollection"/>.</summary>
    public static void WriteEndFeatureCollection(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteCoordinates(Utf8JsonWriter writer, Geometry geometry)
    {
        switch (geometry)
        {
            case Point point:
                if (point.IsEmpty)
                {
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                }
                else
                {
                    WritePosition(writer, new GeoPoint(point.X, point.Y));
                }

                break;
            case LinearRing ring:
                WriteSequence(writer, ring.CoordinateSequence, reverse: false);
                break;
            case LineString line:
                WriteSequence(writer, line.CoordinateSequence, reverse: false);
                break;
            case Polygon polygon:
                writer.WriteStartArray();
                if (!polygon.IsEmpty)
                {
                    WriteRing(writer, polygon.Shell, counterClockwise: true);
                    foreach (LinearRing hole in polygon.Holes)
                    {
                        WriteRing(writer, hole, counterClockwise: false);
                    }
                }

                writer.WriteEndArray();
                break;
            case GeometryCollection multi:
                writer.WriteStartArray();
                for (int i = 0; i < multi.NumGeometries; i++)
                {
                    WriteCoordinates(writer, multi.GetGeometryN(i));
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"GeoJSON has no encoding for {geometry.GeometryType}.");
        }
    }

    private static void WriteRing(Utf8JsonWriter writer, LinearRing ring, bool counterClockwise)
    {
        CoordinateSequence seq = ring.CoordinateSequence;
        bool isCcw = seq.Count >= 4 && Orientation.IsCCW(seq);
        WriteSequence(writer, seq, reverse: seq.Count >= 4 && isCcw != counterClockwise);
    }

    private static void WriteSequence(Utf8JsonWriter writer, CoordinateSequence seq, bool reverse)
    {
        writer.WriteStartArray();
        for (int k = 0; k < seq.Count; k++)
        {
            int i = reverse ? seq.Count - 1 - k : k;
            WritePosition(writer, new GeoPoint(seq.GetX(i), seq.GetY(i)));
        }

        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, ReadOnlySpan<GeoPoint> ring, bool counterClockwise, int? decimals = null)
    {
        bool closed = ring.Length > 0 && ring[0] == ring[^1];
        int distinct = closed ? ring.Length - 1 : ring.Length;
        if (distinct < 3)
        {
            throw new ArgumentException("A polygon ring needs at least three distinct positions.", nameof(ring));
        }

        // Shoelace sign in degrees is enough to tell orientation for rings that do not cross the antimeridian.
        double twiceArea = 0;
        for (int i = 0; i < distinct; i++)
        {
            GeoPoint a = ring[i];
            GeoPoint b = ring[(i + 1) % distinct];
            twiceArea += (a.Lon * b.Lat) - (b.Lon * a.Lat);
        }

        bool reverse = (twiceArea > 0) != counterClockwise && twiceArea != 0;
        writer.WriteStartArray();
        for (int k = 0; k <= distinct; k++)
        {
            // k == distinct closes the ring with its first position, as GeoJSON requires.
            int i = k % distinct;
            if (reverse)
            {
                i = (distinct - i) % distinct;
            }

            if (decimals is { } d)
            {
                WritePosition(writer, ring[i], d);
            }
            else
            {
                WritePosition(writer, ring[i]);
            }
        }

        writer.WriteEndArray();
    }
}
