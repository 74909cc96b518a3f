namespace CityTwin.Scenarios.Models;

/// <summary>
/// Gaussian puff from an instantaneous release of mass M (g) at height H, advected downwind at speed u, with ground
/// reflection: C = M / ((2 pi)^1.5 sx sy sz) exp(-(x - ut)^2 / 2 sx^2) exp(-y^2 / 2 sy^2) [vertical term], g/m^3.
/// </summary>
/// <remarks>
/// Sigmas are taken from the plume curves at the travel distance u t, with sx = sy, the usual screening
/// approximation (Turner 1970, ch. 7; CCPS consequence-analysis guidelines). Plume curves overstate the spread of
/// a single puff, so this is a screening estimate. Travel distances under 1 m use the 1 m sigmas because the
/// curve fits are not defined at zero distance.
/// </remarks>
public sealed class GaussianPuff
{
    private const double MinTravelM = 1.0;

    /// <summary>Creates a puff for a released mass (g), release height (m), wind speed (m/s), stability and sigma scheme.</summary>
    public GaussianPuff(double massG, double releaseHeightM, double windSpeedMps, StabilityClass stability, DispersionScheme scheme = DispersionScheme.PasquillGifford)
    {
        if (!double.IsFinite(massG) || massG < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(massG), massG, "Mass must be finite and non-negative.");
        }

        if (!double.IsFinite(releaseHeightM) || releaseHeightM < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(releaseHeightM), releaseHeightM, "Release height must be finite and non-negative.");
        }

        if (!double.IsFinite(windSpeedMps) || windSpeedMps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windSpeedMps), windSpeedMps, "Wind speed must be finite and positive.");
        }

        MassG = massG;
        ReleaseHeightM = releaseHeightM;
        WindSpeedMps = windSpeedMps;
        Stability = stability;
        Scheme = scheme;
    }

    /// <summary>Released mass in grams.</summary>
    public double MassG { get; }

    /// <summary>Release height in metres.</summary>
    public double ReleaseHeightM { get; }

    /// <summary>Wind speed in metres per second.</summary>
    public double WindSpeedMps { get; }

    /// <summary>Pasquill-Gifford stability class.</summary>
    public StabilityClass Stability { get; }

    /// <summary>Sigma curves in use.</summary>
    public DispersionScheme Scheme { get; }

    /// <summary>Concentration (g/m^3) at a point in release coordinates (downwind, crosswind, height; metres) at a time (s) after release.</summary>
    public double Concentration(double downwindM, double crosswindM, double heightM, double timeSeconds)
    {
        if (!(timeSeconds > 0))
        {
            return 0.0;
        }

        Sigmas(timeSeconds, out double sxy, out double sz);
        return Formula(downwindM - (WindSpeedMps * timeSeconds), crosswindM, heightM, sxy, sz);
    }

    /// <summary>
    /// Evaluates concentrations (g/m^3) at time t after release for receptors in a projected CRS (metres); the wind
    /// direction is meteorological (degrees the wind blows FROM).
    /// </summary>
    public void Evaluate(double sourceX, double sourceY, double windFromDegrees, double timeSeconds, ReadOnlySpan<double> receptorX, ReadOnlySpan<double> receptorY, double receptorHeightM, Span<double> concentrations)
    {
        GaussianPlume.CheckLengths(receptorX.Length, receptorY.Length, concentrations.Length);
        if (!(timeSeconds > 0))
        {
            concentrations[..receptorX.Length].Clear();
            return;
        }

        GaussianPlume.PlumeFrame(windFromDegrees, out double ex, out double ey);
        // The sigmas depend only on travel time, so one evaluation serves every receptor.
        Sigmas(timeSeconds, out double sxy, out double sz);
        double centre = WindSpeedMps * timeSeconds;
        for (int i = 0; i < receptorX.Length; i++)
        {
            double dx = receptorX[i] - sourceX;
            double dy = receptorY[i] - sourceY;
            double along = (dx * ex) + (dy * ey);
            double cross = (dx * ey) - (dy * ex);
            concentrations[i] = Formula(along - centre, cross, receptorHeightM, sxy, sz);
        }
    }

    /// <summary>Puff sigmas (m): horizontal (sx = sy) and vertical, at time t after release.</summary>
    public void Sigmas(double timeSeconds, out double sigmaXYM, out double sigmaZM)
    {
        double travel = Math.Max(MinTravelM, WindSpeedMps * timeSeconds);
        DispersionCoefficients.Compute(Scheme, Stability, travel, out sigmaXYM, out sigmaZM);
    }

    private double Formula(double alongFromCentreM, double crosswindM, double heightM, double sxy, double sz)
    {
        double horizontal = Math.Exp(-((alongFromCentreM * alongFromCentreM) + (crosswindM * crosswindM)) / (2.0 * sxy * sxy));
        double below = heightM - ReleaseHeightM;
        double above = heightM + ReleaseHeightM;
        double twoSz2 = 2.0 * sz * sz;
        double vertical = Math.Exp(-(below * below) / twoSz2) + Math.Exp(-(above * above) / twoSz2);
        return MassG / (Math.Pow(2.0 * Math.PI, 1.5) * sxy * sxy * sz) * horizontal * vertical;
    }
}
