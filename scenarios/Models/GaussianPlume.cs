namespace CityTwin.Scenarios.Models;

/// <summary>
/// Steady Gaussian plume from a continuous point source with total reflection at the ground:
/// C = Q / (2 pi u sy sz) exp(-y^2 / 2 sy^2) [exp(-(z - H)^2 / 2 sz^2) + exp(-(z + H)^2 / 2 sz^2)], in g/m^3.
/// </summary>
/// <remarks>
/// Coordinates: x downwind, y crosswind, z above ground, all metres. Concentration is zero upwind (x &lt;= 0),
/// where the model says nothing. No mixing-lid reflection and no plume rise: H is the effective height.
/// </remarks>
public sealed class GaussianPlume
{
    /// <summary>Creates a plume for a source rate (g/s), effective height (m), wind speed at that height (m/s), stability and sigma scheme.</summary>
    public GaussianPlume(double sourceRateGps, double sourceHeightM, double windSpeedMps, StabilityClass stability, DispersionScheme scheme = DispersionScheme.PasquillGifford)
    {
        if (!double.IsFinite(sourceRateGps) || sourceRateGps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceRateGps), sourceRateGps, "Source rate must be finite and non-negative.");
        }

        if (!double.IsFinite(sourceHeightM) || sourceHeightM < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceHeightM), sourceHeightM, "Source height must be finite and non-negative.");
        }

        // The plume formula divides by u; calm air needs a different model (a puff or a box), not this one.
        if (!double.IsFinite(windSpeedMps) || windSpeedMps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windSpeedMps), windSpeedMps, "Wind speed must be finite and positive.");
        }

        SourceRateGps = sourceRateGps;
        SourceHeightM = sourceHeightM;
        WindSpeedMps = windSpeedMps;
        Stability = stability;
        Scheme = scheme;
    }

    /// <summary>Emission rate Q in grams per second.</summary>
    public double SourceRateGps { get; }

    /// <summary>Effective release height H in metres.</summary>
    public double SourceHeightM { get; }

    /// <summary>Wind speed u at the release height in metres per second.</summary>
    public double WindSpeedMps { get; }

    /// <summary>Pasquill-Gifford stability class.</summary>
    public StabilityClass Stability { get; }

    /// <summary>Sigma curves in use.</summary>
    public DispersionScheme Scheme { get; }

    /// <summary>Concentration (g/m^3) at a point given in plume coordinates (downwind, crosswind, height; metres).</summary>
    public double Concentration(double downwindM, double crosswindM, double heightM)
    {
        if (!(downwindM > 0))
        {
            return 0.0;
        }

        DispersionCoefficients.Compute(Scheme, Stability, downwindM, out double sy, out double sz);
        return Formula(SourceRateGps, WindSpeedMps, SourceHeightM, sy, sz, crosswindM, heightM);
    }

    /// <summary>
    /// Evaluates concentrations (g/m^3) at many receptors in a projected CRS (metres, x east, y north) at one height;
    /// the wind direction is meteorological (degrees clockwise from north that the wind blows FROM).
    /// </summary>
    public void Evaluate(double sourceX, double sourceY, double windFromDegrees, ReadOnlySpan<double> receptorX, ReadOnlySpan<double> receptorY, double receptorHeightM, Span<double> concentrations)
    {
        CheckLengths(receptorX.Length, receptorY.Length, concentrations.Length);
        PlumeFrame(windFromDegrees, out double ex, out double ey);
        for (int i = 0; i < receptorX.Length; i++)
        {
            concentrations[i] = AtOffset(receptorX[i] - sourceX, receptorY[i] - sourceY, ex, ey, receptorHeightM);
        }
    }

    /// <summary>As the single-height overload, with one height (m above ground) per receptor.</summary>
    public void Evaluate(double sourceX, double sourceY, double windFromDegrees, ReadOnlySpan<double> receptorX, ReadOnlySpan<double> receptorY, ReadOnlySpan<double> receptorHeightM, Span<double> concentrations)
    {
        CheckLengths(receptorX.Length, receptorY.Length, concentrations.Length);
        if (receptorHeightM.Length != receptorX.Length)
        {
            throw new ArgumentException("Receptor heights must have one entry per receptor.", nameof(receptorHeightM));
        }

        PlumeFrame(windFromDegrees, out double ex, out double ey);
        for (int i = 0; i < receptorX.Length; i++)
        {
            concentrations[i] = AtOffset(receptorX[i] - sourceX, receptorY[i] - sourceY, ex, ey, receptorHeightM[i]);
        }
    }

    /// <summary>The plume equation itself, for given sigmas: Q/(2 pi u sy sz) exp(-y^2/2sy^2) [reflected vertical term].</summary>
    public static double Formula(double sourceRateGps, double windSpeedMps, double sourceHeightM, double sigmaYM, double sigmaZM, double crosswindM, double heightM)
    {
        double lateral = Math.Exp(-(crosswindM * crosswindM) / (2.0 * sigmaYM * sigmaYM));
        double below = heightM - sourceHeightM;
        double above = heightM + sourceHeightM;
        double twoSz2 = 2.0 * sigmaZM * sigmaZM;
        double vertical = Math.Exp(-(below * below) / twoSz2) + Math.Exp(-(above * above) / twoSz2);
        return sourceRateGps / (2.0 * Math.PI * windSpeedMps * sigmaYM * sigmaZM) * lateral * vertical;
    }

    /// <summary>Unit vector pointing downwind (east, north) for a meteorological wind direction in degrees.</summary>
    internal static void PlumeFrame(double windFromDegrees, out double downwindEast, out double downwindNorth)
    {
        if (!double.IsFinite(windFromDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(windFromDegrees), windFromDegrees, "Wind direction must be finite.");
        }

        // The wind blows from windFromDegrees, so the plume travels towards windFromDegrees + 180.
        double theta = windFromDegrees * (Math.PI / 180.0);
        downwindEast = -Math.Sin(theta);
        downwindNorth = -Math.Cos(theta);
    }

    internal static void CheckLengths(int xLength, int yLength, int outLength)
    {
        if (xLength != yLength)
        {
            throw new ArgumentException("Receptor x and y must have the same length.");
        }

        if (outLength < xLength)
        {
            throw new ArgumentException("The output span is shorter than the receptor list.");
        }
    }

    private double AtOffset(double dx, double dy, double ex, double ey, double heightM)
    {
        double downwind = (dx * ex) + (dy * ey);
        if (!(downwind > 0))
        {
            return 0.0;
        }

        // Crosswind is the component perpendicular to the plume axis; its sign does not matter (symmetric).
        double crosswind = (dx * ey) - (dy * ex);
        DispersionCoefficients.Compute(Scheme, Stability, downwind, out double sy, out double sz);
        return Formula(SourceRateGps, WindSpeedMps, SourceHeightM, sy, sz, crosswind, heightM);
    }
}
