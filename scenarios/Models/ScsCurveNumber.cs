namespace CityTwin.Scenarios.Models;

/// <summary>
/// SCS (NRCS) curve-number runoff in millimetres (USDA TR-55, 1986, eqs. 2-1 to 2-4):
/// S = 25400 / CN - 254, Ia = 0.2 S, Q = (P - Ia)^2 / (P - Ia + S) for P &gt; Ia, else 0.
/// </summary>
public static class ScsCurveNumber
{
    /// <summary>Curve number of connected impervious surfaces in TR-55.</summary>
    public const double ImperviousCurveNumber = 98.0;

    // TR-55 Table 2-2a (2-2c for woods), columns HSG A, B, C, D; one row per UrbanLandCover value, in order.
    private static readonly double[,] _table =
    {
        { 39, 61, 74, 80 },   // open space, good
        { 49, 69, 79, 84 },   // open space, fair
        { 98, 98, 98, 98 },   // impervious
        { 76, 85, 89, 91 },   // gravel streets
        { 89, 92, 94, 95 },   // commercial and business (85 % imp.)
        { 81, 88, 91, 93 },   // industrial (72 % imp.)
        { 77, 85, 90, 92 },   // residential 1/8 acre or less (65 % imp.)
        { 61, 75, 83, 87 },   // residential 1/4 acre (38 % imp.)
        { 54, 70, 80, 85 },   // residential 1/2 acre (25 % imp.)
        { 77, 86, 91, 94 },   // newly graded areas
        { 30, 55, 70, 77 },   // woods, good (Table 2-2c)
        { 100, 100, 100, 100 }, // open water, by convention
    };

    /// <summary>Potential maximum retention S (mm) after runoff begins: 25400 / CN - 254.</summary>
    public static double RetentionMm(double curveNumber)
    {
        CheckCurveNumber(curveNumber);
        return (25400.0 / curveNumber) - 254.0;
    }

    /// <summary>Initial abstraction Ia (mm) = ratio x S, with TR-55's ratio 0.2 by default.</summary>
    public static double InitialAbstractionMm(double curveNumber, double ratio = 0.2)
    {
        return ratio * RetentionMm(curveNumber);
    }

    /// <summary>Direct runoff Q (mm) from a storm depth P (mm) on a curve number.</summary>
    public static double RunoffMm(double rainfallMm, double curveNumber)
    {
        double s = RetentionMm(curveNumber);
        return RunoffMm(rainfallMm, s, 0.2 * s);
    }

    /// <summary>Direct runoff Q (mm) from P (mm) with a precomputed retention S and initial abstraction Ia (mm).</summary>
    public static double RunoffMm(double rainfallMm, double retentionMm, double initialAbstractionMm)
    {
        if (!(rainfallMm > initialAbstractionMm))
        {
            return 0.0;
        }

        double excess = rainfallMm - initialAbstractionMm;
        return excess * excess / (excess + retentionMm);
    }

    /// <summary>
    /// Runoff (mm) generated while cumulative rainfall rises from <paramref name="cumulativeBeforeMm"/> to
    /// <paramref name="cumulativeAfterMm"/>: Q(P_after) - Q(P_before), the time-step form for a hyetograph.
    /// </summary>
    public static double IncrementalRunoffMm(double cumulativeBeforeMm, double cumulativeAfterMm, double curveNumber)
    {
        double s = RetentionMm(curveNumber);
        double ia = 0.2 * s;
        return RunoffMm(cumulativeAfterMm, s, ia) - RunoffMm(cumulativeBeforeMm, s, ia);
    }

    /// <summary>Runoff increments (mm) for a sequence of rainfall increments (mm) on one curve number.</summary>
    public static void IncrementalRunoff(ReadOnlySpan<double> rainfallIncrementsMm, double curveNumber, Span<double> runoffIncrementsMm)
    {
        if (runoffIncrementsMm.Length < rainfallIncrementsMm.Length)
        {
            throw new ArgumentException("The output span is shorter than the rainfall series.", nameof(runoffIncrementsMm));
        }

        double s = RetentionMm(curveNumber);
        double ia = 0.2 * s;
        double cumulative = 0.0;
        double previousRunoff = 0.0;
        for (int i = 0; i < rainfallIncrementsMm.Length; i++)
        {
            if (!(rainfallIncrementsMm[i] >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(rainfallIncrementsMm), "Rainfall increments must be non-negative.");
            }

            cumulative += rainfallIncrementsMm[i];
            double runoff = RunoffMm(cumulative, s, ia);
            runoffIncrementsMm[i] = runoff - previousRunoff;
            previousRunoff = runoff;
        }
    }

    /// <summary>Curve number of a TR-55 urban land-cover class on a hydrologic soil group.</summary>
    public static double ForLandCover(UrbanLandCover cover, HydrologicSoilGroup soil)
    {
        if ((uint)cover >= (uint)_table.GetLength(0) || (uint)soil > (uint)HydrologicSoilGroup.D)
        {
            throw new ArgumentOutOfRangeException(nameof(cover), cover, "Unknown land cover or soil group.");
        }

        return _table[(int)cover, (int)soil];
    }

    /// <summary>
    /// Composite curve number for a cell with a connected impervious fraction over pervious ground
    /// (TR-55 Figure 2-3): CNc = CNp + f (98 - CNp).
    /// </summary>
    public static double FromImperviousness(double imperviousFraction, double perviousCurveNumber)
    {
        if (!(imperviousFraction >= 0 && imperviousFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(imperviousFraction), imperviousFraction, "Impervious fraction must be in [0, 1].");
        }

        CheckCurveNumber(perviousCurveNumber);
        return perviousCurveNumber + (imperviousFraction * (ImperviousCurveNumber - perviousCurveNumber));
    }

    /// <summary>True for a usable curve number: 0 &lt; CN &lt;= 100.</summary>
    public static bool IsValidCurveNumber(double curveNumber) => curveNumber > 0 && curveNumber <= 100;

    private static void CheckCurveNumber(double curveNumber)
    {
        if (!IsValidCurveNumber(curveNumber))
        {
            throw new ArgumentOutOfRangeException(nameof(curveNumber), curveNumber, "Curve number must be in (0, 100].");
        }
    }
}
