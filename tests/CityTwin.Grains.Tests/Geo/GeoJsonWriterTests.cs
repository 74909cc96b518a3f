using System.Text;
using System.Text.Json;
using CityTwin.Grains.Geo;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Tests.Geo;

public class GeoJsonWriterTests
{
    [Fact]
    public void Point_is_written_lon_first()
    {
        string json = Write(w => GeoJsonWriter.WritePoint(w, new GeoPoint(104.0657, 30.6595)));

        Assert.Equal("""{"type":"Point","coordinates":[104.0657,30.6595]}""", json);
    }

    [Fact]
    public void Clockwise_open_ring_is_closed_and_turned_counter_clockwise()
    {
        GeoPoint[] clockwise = [new(0, 0), new(0, 1), new(1, 1), new(1, 0)];

        string json = Write(w => GeoJsonWriter.WritePolygon(w, clockwise));

        Assert.Equal("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}""", json);
    }

    [Fact]
    public void Degenerate_rings_are_rejected_and_a_linear_ring_is_a_line_string()
    {
        Assert.Throws<ArgumentException>(() => Write(w => GeoJsonWriter.WritePolygon(w, [new(0, 0), new(1, 1), new(0, 0)])));

        LinearRing ring = GeoGeometry.Wgs84.CreateLinearRing([new(0, 0), new(1, 0), new(1, 1), new(0, 0)]);
        Assert.StartsWith("""{"type":"LineString",""", Write(w => GeoJsonWriter.WriteGeometry(w, ring)));
    }

    [Fact]
    public void Nts_polygon_with_hole_follows_rfc7946_winding()
    {
        var f = GeoGeometry.Wgs84;
        LinearRing shell = f.CreateLinearRing([new(0, 0), new(0, 10), new(10, 10), new(10, 0), new(0, 0)]);
        LinearRing hole = f.CreateLinearRing([new(2, 2), new(4, 2), new(4, 4), new(2, 4), new(2, 2)]);
        Polygon polygon = f.CreatePolygon(shell, [hole]);

        using JsonDocument doc = JsonDocument.Parse(Write(w => GeoJsonWriter.WriteGeometry(w, polygon)));

        JsonElement rings = doc.RootElement.GetProperty("coordinates");
        Assert.True(SignedArea(rings[0]) > 0, "exterior ring must be counter-clockwise");
        Assert.True(SignedArea(rings[1]) < 0, "hole must be clockwise");
        Assert.Equal(5, rings[1].GetArrayLength());
    }

    [Fact]
    public void Multi_geometries_and_collections_nest_coordinates()
    {
        var f = GeoGeometry.Wgs84;
        Geometry collection = f.CreateGeometryCollection(
        [
            f.CreateMultiPoint([f.CreatePoint(new Coordinate(1, 2)), f.CreatePoint(new Coordinate(3, 4))]),
            f.CreateLineString([new(0, 0), new(1, 1)]),
        ]);

        string json = Write(w => GeoJsonWriter.WriteGeometry(w, collection));

        Assert.Equal(
            """{"type":"GeometryCollection","geometries":[{"type":"MultiPoint","coordinates":[[1,2],[3,4]]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}""",
            json);
    }

    [Fact]
    public void Feature_collection_holds_features_with_ids_and_properties()
    {
        string json = Write(w =>
        {
            GeoJsonWriter.WriteStartFeatureCollection(w);
            GeoJsonWriter.WriteFeature(w, "sensor-1", new GeoPoint(104.1, 30.6), 42.5, static (pw, level) => pw.WriteNumber("level", level));
            GeoJsonWriter.WriteFeature(w, null, GeoGeometry.ToLineString([new(104.0, 30.6), new(104.1, 30.7)]), "river",
                static (pw, kind) => pw.WriteString("kind", kind));
            GeoJsonWriter.WriteEndFeatureCollection(w);
        });

        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement features = doc.RootElement.GetProperty("features");
        Assert.Equal("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(2, features.GetArrayLength());
        Assert.Equal("sensor-1", features[0].GetProperty("id").GetString());
        Assert.Equal(42.5, features[0].GetProperty("properties").GetProperty("level").GetDouble());
        Assert.Equal(104.1, features[0].GetProperty("geometry").GetProperty("coordinates")[0].GetDouble());
        Assert.False(features[1].TryGetProperty("id", out _));
        Assert.Equal("LineString", features[1].GetProperty("geometry").GetProperty("type").GetString());
    }

    [Fact]
    public void GeoPoint_serialises_as_a_position_and_rejects_other_shapes()
    {
        Assert.Equal("[104.0657,30.6595]", JsonSerializer.Serialize(new GeoPoint(104.0657, 30.6595)));
        Assert.Equal(new GeoPoint(1, 2), JsonSerializer.Deserialize<GeoPoint>("[1,2,300]"));

        JsonException error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<GeoPoint>("""{"lon":1,"lat":2}"""));
        Assert.Contains("[lon, lat]", error.Message);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<GeoPoint>("[30.6, 204.0]"));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double SignedArea(JsonElement ring)
    {
        double sum = 0;
        for (int i = 0; i + 1 < ring.GetArrayLength(); i++)
        {
            double x1 = ring[i][0].GetDouble(), y1 = ring[i][1].GetDouble();
            double x2 = ring[i + 1][0].GetDouble(), y2 = ring[i + 1][1].GetDouble();
            sum += (x1 * y2) - (x2 * y1);
        }

        return sum / 2;
    }
}
