using Bogus;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The elevation model: a plain sloping gently downstream, a valley rising away from the river, and low
/// rolling bumps that fade out near the river so the channel stays the lowest ground across the valley.
/// </summary>
internal readonly struct Terrain
{
    /// <summary>Beyond this distance from the river the valley profile is flat to within millimetres.</summary>
    public const double FarDistance = 2500;

    private const double ChannelDepth = 2.5;

    private readonly double _base, _slope, _valleyDepth, _valleyWidth;
    private readonly double _bumpAmp, _k1x, _k1y, _phase1, _k2x, _k2y, _phase2;

    private Terrain(double @base, double slope, double valleyDepth, double valleyWidth, double bumpAmp,
        double k1x, double k1y, double phase1, double k2x, double k2y, double phase2)
    {
        _base = @base;
        _slope = slope;
        _valleyDepth = valleyDepth;
        _valleyWidth = valleyWidth;
        _bumpAmp = bumpAmp;
        _k1x = k1x;
        _k1y = k1y;
        _phase1 = phase1;
        _k2x = k2x;
        _k2y = k2y;
        _phase2 = phase2;
    }

    public static Terrain Create(Randomizer random)
    {
        // Central Chengdu lies about 500 m above sea level on a plain falling ~1-2 m per km to the south-east.
        double @base = random.Double(495, 505);
        double slope = random.Double(1.0, 2.0) / 1000;
        double valleyDepth = random.Double(7, 10);
        double valleyWidth = random.Double(500, 800);
        double bumpAmp = random.Double(0.4, 0.8);
        double a1 = random.Double(0, Math.PI), l1 = random.Double(1200, 2500);
        double a2 = random.Double(0, Math.PI), l2 = random.Double(1200, 2500);
        return new Terrain(@base, slope, valleyDepth, valleyWidth, bumpAmp,
            2 * Math.PI * Math.Cos(a1) / l1, 2 * Math.PI * Math.Sin(a1) / l1, random.Double(0, 2 * Math.PI),
            2 * Math.PI * Math.Cos(a2) / l2, 2 * Math.PI * Math.Sin(a2) / l2, random.Double(0, 2 * Math.PI));
    }

    /// <summary>River bed elevation at downstream axis coordinate <paramref name="u"/>: falls monotonically downstream.</summary>
    public double BedElevation(double u) => _base - (_slope * u) - ChannelDepth;

    /// <summary>Ground elevation off the river at <paramref name="p"/> (axis coordinate <paramref name="u"/>, <paramref name="riverDistance"/> m from the river).</summary>
    public double Elevation(ProjectedPoint p, double u, double riverDistance)
    {
        double d = Math.Min(riverDistance, FarDistance);
        double valley = _valleyDepth * (1 - Math.Exp(-(d / _valleyWidth) * (d / _valleyWidth)));
        double fade = 1 - Math.Exp(-(d / 300) * (d / 300));
        double bumps = _bumpAmp * (Math.Sin((_k1x * p.X) + (_k1y * p.Y) + _phase1) + Math.Sin((_k2x * p.X) + (_k2y * p.Y) + _phase2)) / 2;
        return _base - (_slope * u) + valley + (bumps * fade);
    }
}
