using System.Text.Json.Nodes;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.Runs;

/// <summary>Builds the GeoJSON FeatureCollections of run results (lon/lat, GeoJSON order).</summary>
internal static class GeoJsonLayers
{
    /// <summary>An empty FeatureCollection.</summary>
    public static JsonObject Collection(out JsonArray features)
    {
        features = [];
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
    }

    /// <summary>A square cell polygon around a projected centre.</summary>
    public static JsonObject CellFeature(UtmProjection projection, ProjectedPoint centre, double sizeM, string id, JsonObject properties)
    {
        double h = sizeM / 2;
        ProjectedPoint[] corners =
        [
            new(centre.X - h, centre.Y - h), new(centre.X + h, centre.Y - h), new(centre.X + h, centre.Y + h),
            new(centre.X - h, centre.Y + h), new(centre.X - h, centre.Y - h),
        ];
        var ring = new JsonArray();
        foreach (ProjectedPoint c in corners)
        {
            GeoPoint g = projection.Inverse(c).Round(7);
            ring.Add(new JsonArray(g.Lon, g.Lat));
        }

        return new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = id,
            ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
            ["properties"] = properties,
        };
    }

    /// <summary>A point feature.</summary>
    public static JsonObject PointFeature(GeoPoint position, string id, JsonObject properties)
    {
        GeoPoint g = position.Round(7);
        return new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = id,
            ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(g.Lon, g.Lat) },
            ["properties"] = properties,
        };
    }
}
