using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>An axis-aligned rectangle in UTM metres; the generator lays everything out in these.</summary>
internal readonly record struct UtmRect(double MinX, double MinY, double MaxX, double MaxY)
{
    public double Width => MaxX - MinX;

    public double Height => MaxY - MinY;

    public ProjectedPoint Centre => new((MinX + MaxX) / 2, (MinY + MaxY) / 2);

    public static UtmRect Around(ProjectedPoint centre, double width, double height) =>
        new(centre.X - (width / 2), centre.Y - (height / 2), centre.X + (width / 2), centre.Y + (height / 2));

    public UtmRect Shrink(double margin) => new(MinX + margin, MinY + margin, MaxX - margin, MaxY - margin);

    public bool Contains(ProjectedPoint p) => p.X >= MinX && p.X <= MaxX && p.Y >= MinY && p.Y <= MaxY;

    /// <summary>Corners counter-clockwise from south-west, ring closed (5 points), as GeoJSON wants exterior rings.</summary>
    public void Ring(Span<ProjectedPoint> ring)
    {
        ring[0] = new ProjectedPoint(MinX, MinY);
        ring[1] = new ProjectedPoint(MaxX, MinY);
        ring[2] = new ProjectedPoint(MaxX, MaxY);
        ring[3] = new ProjectedPoint(MinX, MaxY);
        ring[4] = ring[0];
    }
}
