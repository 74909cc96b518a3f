namespace CityTwin.Grains.Geo;

/// <summary>A position in a projected metric CRS (UTM easting <see cref="X"/> and northing <see cref="Y"/>, metres).</summary>
public readonly record struct ProjectedPoint(double X, double Y)
{
    /// <summary>Euclidean distance in metres to <paramref name="other"/> (same CRS).</summary>
    public double DistanceTo(ProjectedPoint other)
    {
        double dx = X - other.X;
        double dy = Y - other.Y;
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
