namespace CityTwin.Scenarios.Runs;

/// <summary>
/// The river of a flood run: either a stage imposed on the river cells (<see cref="Stage"/>, rise above normal) or, with no
/// stage, a routed river fed by an upstream hydrograph (given points, rain on an upstream catchment, or the base flow).
/// </summary>
public sealed record RiverSpec(IReadOnlyList<RiverStagePoint> Stage)
{
    /// <summary>Manning's n of the channel (natural main channel, clean and winding: Chow 1959, table 5-6).</summary>
    public const double DefaultManningN = 0.035;

    /// <summary>Channel width of the generated districts, m.</summary>
    public const double DefaultWidthM = 60;

    /// <summary>True when the river is routed rather than held at an imposed stage.</summary>
    public bool IsRouted => Stage.Count == 0;

    /// <summary>Steady flow before the event, m^3/s; null: the flow at which the gauges stand at their normal levels.</summary>
    public double? BaseFlowM3s { get; init; }

    /// <summary>Upstream inflow hydrograph (linear between points, held after the last); empty: the base flow.</summary>
    public IReadOnlyList<RiverInflowPoint> Inflow { get; init; } = [];

    /// <summary>Upstream catchment whose runoff from the scenario's storm adds to the inflow.</summary>
    public UpstreamCatchment? Catchment { get; init; }

    /// <summary>Manning's n of the channel.</summary>
    public double ManningN { get; init; } = DefaultManningN;

    /// <summary>Channel width, m.</summary>
    public double WidthM { get; init; } = DefaultWidthM;

    /// <summary>The given inflow at a time, m^3/s (linear between points, held after the last); null when none is given.</summary>
    public double? GivenInflowAt(TimeSpan t) => Inflow.Count == 0 ? null : Interpolate(Inflow, t, p => p.At, p => p.M3s);

    /// <summary>The rise (m) at a time, interpolated linearly; held after the last point.</summary>
    public double RiseAt(TimeSpan t) => Stage.Count == 0 ? 0 : Interpolate(Stage, t, p => p.At, p => p.RiseM);

    private static double Interpolate<T>(IReadOnlyList<T> points, TimeSpan t, Func<T, TimeSpan> at, Func<T, double> value)
    {
        if (t <= at(points[0]))
        {
            return value(points[0]);
        }

        for (int i = 1; i < points.Count; i++)
        {
            if (t <= at(points[i]))
            {
                T a = points[i - 1], b = points[i];
                double f = (t - at(a)).TotalSeconds / Math.Max(1e-9, (at(b) - at(a)).TotalSeconds);
                return value(a) + (f * (value(b) - value(a)));
            }
        }

        return value(points[^1]);
    }
}
