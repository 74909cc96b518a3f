using CityTwin.Scenarios.Runs;

namespace CityTwin.Scenarios.Drills;

/// <summary>Scores drill incidents against a first-unit travel target (NFPA 1710: 240 s for 90 % of incidents).</summary>
public static class DrillScoring
{
    /// <summary>Scores incidents against the travel target.</summary>
    public static DrillReport Score(DrillSpec drill, IReadOnlyList<DrillIncidentResult> results)
    {
        double[] travel = [.. results.Where(r => r.FirstUnitTravelSeconds is not null).Select(r => r.FirstUnitTravelSeconds!.Value).Order()];
        double[] response = [.. results.Where(r => r.ResponseSeconds is not null).Select(r => r.ResponseSeconds!.Value).Order()];
        int met = results.Count(r => r.MetTravelTarget);
        double share = results.Count == 0 ? 0 : (double)met / results.Count;
        return new DrillReport(drill.TargetTravelSeconds, drill.TargetShare, results.Count, met, Math.Round(share, 4), share >= drill.TargetShare,
            Percentile(travel, 0.5), Percentile(travel, 0.9), Percentile(response, 0.5), results);
    }

    private static double? Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return null;
        }

        // Nearest-rank percentile: the value at or below which q of the incidents fall.
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 1);
    }
}
