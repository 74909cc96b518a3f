using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Api;

/// <summary>The square a raster cell covers, as a closed lon/lat ring: its centre plus and minus half its size in the district's UTM metres.</summary>
internal static class CellSquare
{
    /// <summary>The size cells have unless their summary says otherwise (the generator's default).</summary>
    public const double DefaultSizeM = 100;

    /// <summary>The closed ring (5 positions) of <paramref name="cell"/>'s square.</summary>
    public static GeoPoint[] Of(UtmProjection projection, EntitySummary cell)
    {
        double size = cell.Properties?.TryGetValue("sizeM", out object? s) == true && s is IConvertible c
            ? c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) : DefaultSizeM;
        ProjectedPoint p = projection.Forward(cell.Position);
        double h = size / 2;
        return
        [
            projection.Inverse(new ProjectedPoint(p.X - h, p.Y - h)), projection.Inverse(new ProjectedPoint(p.X + h, p.Y - h)),
            projection.Inverse(new ProjectedPoint(p.X + h, p.Y + h)), projection.Inverse(new ProjectedPoint(p.X - h, p.Y + h)),
            projection.Inverse(new ProjectedPoint(p.X - h, p.Y - h)),
        ];
    }
}
