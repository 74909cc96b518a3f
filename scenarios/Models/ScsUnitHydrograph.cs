namespace CityTwin.Scenarios.Models;

/// <summary>
/// The SCS triangular unit hydrograph (NRCS National Engineering Handbook part 630 ch. 16; Chow, Maidment and Mays,
/// Applied Hydrology, 1988, section 7.7): time to peak Tp = D/2 + tlag, base time 8/3 Tp, and the peak that makes the
/// triangle hold exactly 1 mm over the catchment (qp = 0.208 A / Tp in m^3/s per mm with A in km^2 and Tp in hours).
/// </summary>
public sealed class ScsUnitHydrograph
{
    /// <summary>Base time over time to peak of the SCS triangle.</summary>
    public const double BaseToPeak = 8.0 / 3.0;

    /// <summary>A unit hydrograph for rain excess of duration <paramref name="durationHours"/> on a catchment.</summary>
    public ScsUnitHydrograph(double areaKm2, double lagHours, double durationHours)
    {
        if (!(areaKm2 > 0) || !double.IsFinite(areaKm2) || !(lagHours > 0) || !double.IsFinite(lagHours) || !(durationHours > 0) || !double.IsFinite(durationHours))
        {
            throw new ArgumentOutOfRangeException(nameof(areaKm2), "Need a positive area, lag and excess duration.");
        }

        AreaKm2 = areaKm2;
        PeakTimeHours = (durationHours / 2) + lagHours;
        BaseTimeHours = BaseToPeak * PeakTimeHours;

        // 1 mm over A km^2 is 1000 A m^3; a triangle of base tb hours holds qp tb 3600 / 2 of it.
        PeakM3sPerMm = 2 * 1000 * areaKm2 / (BaseTimeHours * 3600);
    }

    /// <summary>Catchment area, km^2.</summary>
    public double AreaKm2 { get; }

    /// <summary>Time from the start of the excess to the peak, hours.</summary>
    public double PeakTimeHours { get; }

    /// <summary>Time from the start of the excess to the end of runoff, hours.</summary>
    public double BaseTimeHours { get; }

    /// <summary>Peak discharge per millimetre of excess, m^3/s.</summary>
    public double PeakM3sPerMm { get; }

    /// <summary>Discharge per millimetre of excess at <paramref name="hours"/> after the excess began, m^3/s.</summary>
    public double OrdinateM3sPerMm(double hours) =>
        hours <= 0 || hours >= BaseTimeHours ? 0
        : hours <= PeakTimeHours ? PeakM3sPerMm * hours / PeakTimeHours
        : PeakM3sPerMm * (BaseTimeHours - hours) / (BaseTimeHours - PeakTimeHours);

    /// <summary>
    /// Direct runoff at <paramref name="hours"/> from rain on a catchment of curve number <paramref name="curveNumber"/>: the
    /// SCS-CN excess of each block of <paramref name="storm"/> convolved with the unit hydrograph of that block's length.
    /// </summary>
    public static double DirectRunoffM3s(Hyetograph storm, double areaKm2, double curveNumber, double lagHours, double hours)
    {
        ArgumentNullException.ThrowIfNull(storm);
        double q = 0, start = 0, before = 0;
        for (int b = 0; b < storm.BlockCount; b++)
        {
            double end = storm.BlockEndSeconds(b);
            double after = before + storm.BlockDepthMm(b);
            double excess = ScsCurveNumber.IncrementalRunoffMm(before, after, curveNumber);
            if (excess > 0 && end > start)
            {
                var uh = new ScsUnitHydrograph(areaKm2, lagHours, (end - start) / 3600);
                q += excess * uh.OrdinateM3sPerMm(hours - (start / 3600));
            }

            before = after;
            start = end;
        }

        return q;
    }
}
