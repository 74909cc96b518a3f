namespace CityTwin.Scenarios.Models;

/// <summary>
/// Muskingum channel routing (McCarthy 1938; Chow, Maidment and Mays, Applied Hydrology, 1988, section 8.4): storage
/// S = K [x I + (1 - x) O] with continuity gives O2 = C0 I2 + C1 I1 + C2 O1.
/// </summary>
/// <remarks>
/// The coefficients sum to one and are all non-negative only for 2Kx &lt;= dt &lt;= 2K(1 - x); outside that range the
/// scheme produces outflow dips or negative flows, so <see cref="Rule"/> rejects such a step rather than route it.
/// </remarks>
public static class Muskingum
{
    /// <summary>Largest weighting factor x: beyond 0.5 the wedge storage would amplify the wave.</summary>
    public const double MaxX = 0.5;

    /// <summary>
    /// The rule that <paramref name="dt"/>, <paramref name="k"/> (same time unit) and <paramref name="x"/> break, in words for
    /// the caller, or null when they can be routed; <paramref name="unit"/> names the time unit in the message.
    /// </summary>
    public static string? Rule(double dt, double k, double x, string unit = "s")
    {
        if (!double.IsFinite(k) || !(k > 0))
        {
            return "K must be a finite time > 0";
        }

        if (!double.IsFinite(x) || x < 0 || x > MaxX)
        {
            return "x must be between 0 and 0.5";
        }

        if (!double.IsFinite(dt) || !(dt > 0))
        {
            return "the time step must be a finite time > 0";
        }

        double low = 2 * k * x, high = 2 * k * (1 - x);
        if (dt < low * (1 - 1e-12) || dt > high * (1 + 1e-12))
        {
            return $"the time step must lie in the stable range 2Kx <= dt <= 2K(1-x), here {low:0.###} to {high:0.###} {unit} " +
                   $"(outside it C{(dt < low ? "0" : "2")} is negative)";
        }

        return null;
    }

    /// <summary>The routing coefficients C0 (new inflow), C1 (old inflow), C2 (old outflow) for a valid step.</summary>
    public static (double C0, double C1, double C2) Coefficients(double dt, double k, double x)
    {
        if (Rule(dt, k, x) is { } broken)
        {
            throw new ArgumentOutOfRangeException(nameof(dt), dt, broken);
        }

        double denominator = (2 * k * (1 - x)) + dt;
        double c0 = (dt - (2 * k * x)) / denominator;
        double c1 = (dt + (2 * k * x)) / denominator;

        // C2 as the remainder keeps the sum exactly one, so a steady flow stays steady to the last bit.
        return (Math.Max(0, c0), c1, Math.Max(0, 1 - Math.Max(0, c0) - c1));
    }

    /// <summary>Routes an inflow hydrograph sampled every <paramref name="dt"/>; the first outflow is <paramref name="initialOutflow"/>.</summary>
    public static MuskingumRouting Route(IReadOnlyList<double> inflow, double dt, double k, double x, double initialOutflow)
    {
        ArgumentNullException.ThrowIfNull(inflow);
        (double c0, double c1, double c2) = Coefficients(dt, k, x);
        var outflow = new double[inflow.Count];
        if (outflow.Length > 0)
        {
            outflow[0] = initialOutflow;
        }

        for (int j = 1; j < outflow.Length; j++)
        {
            outflow[j] = (c0 * inflow[j]) + (c1 * inflow[j - 1]) + (c2 * outflow[j - 1]);
        }

        int peak = 0;
        for (int j = 1; j < outflow.Length; j++)
        {
            peak = outflow[j] > outflow[peak] ? j : peak;
        }

        return new MuskingumRouting(outflow, outflow.Length == 0 ? 0 : outflow[peak], peak * dt, c0, c1, c2);
    }
}
