namespace CityTwin.Scenarios.Runs;

/// <summary>River stage imposed on the river cells (rise above the normal level, linear between points).</summary>
public sealed record RiverSpec(IReadOnlyList<RiverStagePoint> Stage)
{
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
