using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CityTwin.Grains.Geo;

/// <summary>
/// Converts between WGS84 lon/lat and one WGS84 / UTM zone (EPSG:326zz north, 327zz south) using ProjNET.
/// Thread-safe: every call rents a ProjNET transform that no other thread is using at the time.
/// </summary>
public sealed class UtmProjection
{
    /// <summary>EPSG code of WGS84 geographic coordinates.</summary>
    public const int Wgs84Srid = 4326;

    // ProjNET does not document its MathTransforms as thread-safe (ProjNet4GeoAPI issue #118 is open), so
    // transforms are never shared between concurrent calls. A small pool keeps the steady state allocation-free.
    private readonly ConcurrentBag<MathTransform> _forwardPool = new();
    private readonly ConcurrentBag<MathTransform> _inversePool = new();
    private readonly ProjectedCoordinateSystem _utm;
    private readonly CoordinateTransformationFactory _factory = new();

    /// <summary>Creates a projection for UTM <paramref name="zone"/> (1-60) in the given hemisphere.</summary>
    public UtmProjection(int zone, bool isNorth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(zone, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zone, 60);
        Zone = zone;
        IsNorth = isNorth;
        _utm = ProjectedCoordinateSystem.WGS84_UTM(zone, isNorth);
    }

    /// <summary>UTM zone number, 1-60.</summary>
    public int Zone { get; }

    /// <summary>True for the northern hemisphere (false offsets northings by 10,000 km).</summary>
    public bool IsNorth { get; }

    /// <summary>EPSG code of the projected CRS: 32600 + zone (north) or 32700 + zone (south).</summary>
    public int Srid => (IsNorth ? 32600 : 32700) + Zone;

    /// <summary>Chooses the UTM zone holding <paramref name="centre"/>: zone = floor((lon + 180) / 6) + 1.</summary>
    public static UtmProjection ForCentre(GeoPoint centre) => new(ZoneOf(centre.Lon), centre.Lat >= 0);

    /// <summary>The standard UTM zone number for a longitude (no Norway/Svalbard exceptions).</summary>
    public static int ZoneOf(double lon)
    {
        if (double.IsNaN(lon) || lon < -180 || lon > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(lon), lon, "Longitude must be within [-180, 180] degrees.");
        }

        // lon = 180 would give zone 61; it belongs to zone 60.
        return Math.Min((int)Math.Floor((lon + 180) / 6) + 1, 60);
    }

    /// <summary>Projects a WGS84 point to UTM metres.</summary>
    public ProjectedPoint Forward(GeoPoint point)
    {
        MathTransform transform = RentForward();
        try
        {
            (double x, double y) = transform.Transform(point.Lon, point.Lat);
            return new ProjectedPoint(x, y);
        }
        finally
        {
            _forwardPool.Add(transform);
        }
    }

    /// <summary>Unprojects a UTM point back to WGS84 lon/lat.</summary>
    public GeoPoint Inverse(ProjectedPoint point)
    {
        MathTransform transform = RentInverse();
        try
        {
            (double lon, double lat) = transform.Transform(point.X, point.Y);
            return new GeoPoint(lon, lat);
        }
        finally
        {
            _inversePool.Add(transform);
        }
    }

    /// <summary>Projects <paramref name="source"/> into <paramref name="destination"/> (same length; may not overlap partially).</summary>
    public void Forward(ReadOnlySpan<GeoPoint> source, Span<ProjectedPoint> destination)
    {
        CheckLengths(source.Length, destination.Length);
        MemoryMarshal.Cast<GeoPoint, ProjectedPoint>(source).CopyTo(destination);
        MathTransform transform = RentForward();
        try
        {
            TransformInPlace(transform, MemoryMarshal.Cast<ProjectedPoint, double>(destination));
        }
        finally
        {
            _forwardPool.Add(transform);
        }
    }

    /// <summary>Unprojects <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    public void Inverse(ReadOnlySpan<ProjectedPoint> source, Span<GeoPoint> destination)
    {
        CheckLengths(source.Length, destination.Length);
        MemoryMarshal.Cast<ProjectedPoint, GeoPoint>(source).CopyTo(destination);
        MathTransform transform = RentInverse();
        try
        {
            TransformInPlace(transform, MemoryMarshal.Cast<GeoPoint, double>(destination));
        }
        finally
        {
            _inversePool.Add(transform);
        }
    }

    /// <summary>Distance in metres between two WGS84 points, measured in this UTM zone.</summary>
    public double DistanceMetres(GeoPoint a, GeoPoint b) => Forward(a).DistanceTo(Forward(b));

    /// <summary>Returns a projected copy of a WGS84 geometry (SRID set to <see cref="Srid"/>).</summary>
    public Geometry Forward(Geometry geometry) => Apply(geometry, RentForward(), _forwardPool, Srid);

    /// <summary>Returns a WGS84 copy of a geometry in this zone's metres (SRID 4326).</summary>
    public Geometry Inverse(Geometry geometry) => Apply(geometry, RentInverse(), _inversePool, Wgs84Srid);

    private static void TransformInPlace(MathTransform transform, Span<double> interleaved)
    {
        if (interleaved.Length == 0)
        {
            return;
        }

        // ProjNET transforms strided spans in place: x at even indices, y at odd ones.
        transform.Transform(interleaved, interleaved[1..], 2, 2);
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException($"Destination holds {destination} points but source has {source}.");
        }
    }

    private static Geometry Apply(Geometry geometry, MathTransform transform, ConcurrentBag<MathTransform> pool, int srid)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        try
        {
            Geometry copy = geometry.Copy();
            copy.Apply(new TransformFilter(transform));
            copy.GeometryChanged();
            copy.SRID = srid;
            return copy;
        }
        finally
        {
            pool.Add(transform);
        }
    }

    private MathTransform RentForward() =>
        _forwardPool.TryTake(out MathTransform? transform)
            ? transform
            : _factory.CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, _utm).MathTransform;

    private MathTransform RentInverse() =>
        _inversePool.TryTake(out MathTransform? transform)
            ? transform
            : _factory.CreateFromCoordinateSystems(_utm, GeographicCoordinateSystem.WGS84).MathTransform;

    private sealed class TransformFilter(MathTransform transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (int i = 0; i < seq.Count; i++)
            {
                (double x, double y) = transform.Transform(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
