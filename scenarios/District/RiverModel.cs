using Bogus;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// A meandering river across the district in UTM metres: a straight axis at a random heading plus two
/// sine meanders. The axis coordinate u grows downstream, so bed elevation can fall monotonically with u.
/// </summary>
internal sealed class RiverModel
{
    private const double Step = 25;
    private readonly ProjectedPoint _origin;
    private readonly double _dirX, _dirY, _normX, _normY;
    private readonly double _offset, _amp1, _wave1, _phase1, _amp2, _wave2, _phase2;
    private readonly double _uStart;
    private readonly double[] _xs;
    private readonly double[] _ys;

    public RiverModel(Randomizer random, UtmRect box)
    {
        double size = box.Width;
        _origin = box.Centre;

        // Chengdu's rivers run from the north-west plain towards the south-east; keep the heading east-ish so the
        // river always crosses the square from one side to the other.
        double heading = random.Double(-40, 10) * Math.PI / 180;
        _dirX = Math.Cos(heading);
        _dirY = Math.Sin(heading);
        _normX = -_dirY;
        _normY = _dirX;
        _offset = random.Double(-0.12, 0.12) * size;
        _amp1 = random.Double(0.04, 0.07) * size;
        _wave1 = random.Double(0.5, 0.8) * size;
        _phase1 = random.Double(0, 2 * Math.PI);
        _amp2 = random.Double(0.01, 0.025) * size;
        _wave2 = random.Double(0.18, 0.3) * size;
        _phase2 = random.Double(0, 2 * Math.PI);

        // Sample beyond the square on both sides so distances near the edges see the river outside it too.
        double half = size;
        _uStart = -half;
        int n = (int)Math.Ceiling(2 * half / Step) + 1;
        _xs = new double[n];
        _ys = new double[n];
        for (int k = 0; k < n; k++)
        {
            ProjectedPoint p = At(_uStart + (k * Step));
            _xs[k] = p.X;
            _ys[k] = p.Y;
        }
    }

    /// <summary>Position on the centreline at axis coordinate <paramref name="u"/>.</summary>
    public ProjectedPoint At(double u)
    {
        double v = Offset(u);
        return new ProjectedPoint(_origin.X + (u * _dirX) + (v * _normX), _origin.Y + (u * _dirY) + (v * _normY));
    }

    /// <summary>Downstream axis coordinate of a point.</summary>
    public double AxisOf(ProjectedPoint p) => ((p.X - _origin.X) * _dirX) + ((p.Y - _origin.Y) * _dirY);

    /// <summary>Centreline samples inside <paramref name="box"/>, upstream first, with their chainage along the river.</summary>
    public List<(ProjectedPoint Point, double ChainageM)> Inside(UtmRect box)
    {
        var inside = new List<(ProjectedPoint, double)>();
        double chainage = 0;
        ProjectedPoint? previous = null;
        for (int k = 0; k < _xs.Length; k++)
        {
            var p = new ProjectedPoint(_xs[k], _ys[k]);
            if (!box.Contains(p))
            {
                // A meander can leave and re-enter near a corner; keep only the first run across the square.
                if (inside.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (previous is ProjectedPoint q)
            {
                chainage += q.DistanceTo(p);
            }

            inside.Add((p, chainage));
            previous = p;
        }

        return inside;
    }

    /// <summary>
    /// Distance from <paramref name="p"/> to the centreline: exact when at most <paramref name="cap"/>, otherwise
    /// some value above <paramref name="cap"/> (callers only need "far").
    /// </summary>
    public double Distance(ProjectedPoint p, double cap)
    {
        double u = AxisOf(p);
        double v = ((p.X - _origin.X) * _normX) + ((p.Y - _origin.Y) * _normY);
        double across = Math.Abs(v - Offset(u));

        // The centreline point at the same u is `across` away, so the nearest one lies within that span of u.
        double window = Math.Min(across, cap) + Step;
        int k0 = Math.Max(0, (int)Math.Floor((u - window - _uStart) / Step));
        int k1 = Math.Min(_xs.Length - 1, (int)Math.Ceiling((u + window - _uStart) / Step));
        double best = across * across;
        for (int k = k0; k < k1; k++)
        {
            best = Math.Min(best, SegmentDistanceSquared(p.X, p.Y, _xs[k], _ys[k], _xs[k + 1], _ys[k + 1]));
        }

        return Math.Sqrt(best);
    }

    private double Offset(double u) =>
        _offset + (_amp1 * Math.Sin((2 * Math.PI * u / _wave1) + _phase1)) + (_amp2 * Math.Sin((2 * Math.PI * u / _wave2) + _phase2));

    private static double SegmentDistanceSquared(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        double t = (((px - ax) * dx) + ((py - ay) * dy)) / ((dx * dx) + (dy * dy));
        t = Math.Clamp(t, 0, 1);
        double ex = ax + (t * dx) - px, ey = ay + (t * dy) - py;
        return (ex * ex) + (ey * ey);
    }
}
