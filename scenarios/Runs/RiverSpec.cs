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
    public double? GivenInflowAt(TimeSpan t)
    {
        if (Inflow.Count == 0)
        {
            return null;
        }

        if (t <= Inflow[0].At)
        {
            return Inflow[0].M3s;
        }

        for (int i = 1; i < Inflow.Count; i++)
        {
            if (t <= Inflow[i].At)
            {
                RiverInflowPoint a = Inflow[i - 1], b = Inflow[i];
                double f = (t - a.At).TotalSeconds / Math.Max(1e-9, (b.At - a.At).TotalSeconds);
                return a.M3s + (f * (b.M3s - a.M3s));
            }
        }

        return Inflow[^1].M3s;
    }

    /// <summary>The rise (m) at a time, interpolated linearly; held after the last point.</summary>
    public double RiseAt(TimeSpan t)
    {
        if (Stage.Count == 0)
        {
            return 0;
        }

        if (t <= Stage[0].At)
        {
            return Stage[0].RiseM;
        }

        for (int i = 1; i < Stage.Count; i++)
        {
            if (t <= Stage[i].At)
            {
                RiverStagePoint a = Stage[i - 1], b = Stage[i];
                double f = (t - a.At).TotalSeconds / Math.Max(1e-9, (b.At - a.At).TotalSeconds);
                return a.RiseM + (f * (b.RiseM - a.RiseM));
            }
        }

        return Stage[^1].RiseM;
    }
}
