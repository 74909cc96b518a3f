namespace CityTwin.Scenarios.Models;

/// <summary>
/// Horizontal and vertical plume spread (sigma-y, sigma-z, metres) against downwind distance (metres) for the
/// Pasquill-Gifford (ISC3 curve fits) and Briggs rural/urban schemes.
/// </summary>
public static class DispersionCoefficients
{
    /// <summary>ISC3 caps sigma-z at 5000 m (EPA-454/B-95-003b, vol. II, section 1.1.5.3).</summary>
    public const double MaxSigmaZM = 5000.0;

    // ISC3 vol. II Table 1-1: sigma-y = 465.11628 x tan(TH), TH = 0.017453293 (c - d ln x), x in km.
    private static readonly double[] _sigmaYC = [24.1670, 18.3330, 12.5000, 8.3330, 6.2500, 4.1667];
    private static readonly double[] _sigmaYD = [2.5334, 1.8096, 1.0857, 0.72382, 0.54287, 0.36191];

    // ISC3 vol. II Table 1-2: sigma-z = a x^b, x in km; each row is (upper bound of x in km, a, b), the last row
    // of a class runs to infinity. Class A beyond 3.11 km is the 5000 m cap itself.
    private static readonly double[][] _sigmaZTable =
    [
        [0.10, 122.800, 0.94470, 0.15, 158.080, 1.05420, 0.20, 170.220, 1.09320, 0.25, 179.520, 1.12620,
         0.30, 217.410, 1.26440, 0.40, 258.890, 1.40940, 0.50, 346.750, 1.72830, 3.11, 453.850, 2.11660,
         double.PositiveInfinity, MaxSigmaZM, 0.0],
        [0.20, 90.673, 0.93198, 0.40, 98.483, 0.98332, double.PositiveInfinity, 109.300, 1.09710],
        [double.PositiveInfinity, 61.141, 0.91465],
        [0.30, 34.459, 0.86974, 1.00, 32.093, 0.81066, 3.00, 32.093, 0.64403, 10.00, 33.504, 0.60486,
         30.00, 36.650, 0.56589, double.PositiveInfinity, 44.053, 0.51179],
        [0.10, 24.260, 0.83660, 0.30, 23.331, 0.81956, 1.00, 21.628, 0.75660, 2.00, 21.628, 0.63077,
         4.00, 22.534, 0.57154, 10.00, 24.703, 0.50527, 20.00, 26.970, 0.46713, 40.00, 35.420, 0.37615,
         double.PositiveInfinity, 47.618, 0.29592],
        [0.20, 15.209, 0.81558, 0.70, 14.457, 0.78407, 1.00, 13.953, 0.68465, 2.00, 13.953, 0.63227,
         3.00, 14.823, 0.54503, 7.00, 16.187, 0.46490, 15.00, 17.836, 0.41507, 30.00, 22.651, 0.32681,
         60.00, 27.074, 0.27436, double.PositiveInfinity, 34.219, 0.21716],
    ];

    // Briggs (1973) per class: sigma-y = ay x (1 + by x)^-1/2; sigma-z = az x (1 + bz x)^pz, x in metres.
    // Open country (Hanna, Briggs and Hosker 1982, Table 4.5; Seinfeld and Pandis Table 18.4).
    private static readonly double[] _ruralAy = [0.22, 0.16, 0.11, 0.08, 0.06, 0.04];
    private static readonly double[] _ruralAz = [0.20, 0.12, 0.08, 0.06, 0.03, 0.016];
    private static readonly double[] _ruralBz = [0.0, 0.0, 0.0002, 0.0015, 0.0003, 0.0003];
    private static readonly double[] _ruralPz = [0.0, 0.0, -0.5, -0.5, -1.0, -1.0];

    // Urban: classes A and B share a formula, as do E and F.
    private static readonly double[] _urbanAy = [0.32, 0.32, 0.22, 0.16, 0.11, 0.11];
    private static readonly double[] _urbanAz = [0.24, 0.24, 0.20, 0.14, 0.08, 0.08];
    private static readonly double[] _urbanBz = [0.001, 0.001, 0.0, 0.0003, 0.0015, 0.0015];
    private static readonly double[] _urbanPz = [0.5, 0.5, 0.0, -0.5, -0.5, -0.5];

    /// <summary>Computes sigma-y and sigma-z (m) at a downwind distance (m, must be positive).</summary>
    public static void Compute(DispersionScheme scheme, StabilityClass stability, double downwindM, out double sigmaYM, out double sigmaZM)
    {
        int s = (int)stability;
        if ((uint)s > (uint)StabilityClass.F)
        {
            throw new ArgumentOutOfRangeException(nameof(stability), stability, "Unknown stability class.");
        }

        switch (scheme)
        {
            case DispersionScheme.PasquillGifford:
                {
                    double xKm = downwindM / 1000.0;
                    double th = 0.017453293 * (_sigmaYC[s] - (_sigmaYD[s] * Math.Log(xKm)));
                    sigmaYM = 465.11628 * xKm * Math.Tan(th);
                    sigmaZM = PasquillGiffordSigmaZ(s, xKm);
                    break;
                }

            case DispersionScheme.BriggsRural:
                sigmaYM = _ruralAy[s] * downwindM / Math.Sqrt(1.0 + (0.0001 * downwindM));
                sigmaZM = BriggsSigmaZ(_ruralAz[s], _ruralBz[s], _ruralPz[s], downwindM);
                break;
            case DispersionScheme.BriggsUrban:
                sigmaYM = _urbanAy[s] * downwindM / Math.Sqrt(1.0 + (0.0004 * downwindM));
                sigmaZM = BriggsSigmaZ(_urbanAz[s], _urbanBz[s], _urbanPz[s], downwindM);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown dispersion scheme.");
        }
    }

    /// <summary>Horizontal spread sigma-y (m) at a downwind distance (m).</summary>
    public static double SigmaY(DispersionScheme scheme, StabilityClass stability, double downwindM)
    {
        Compute(scheme, stability, downwindM, out double sy, out _);
        return sy;
    }

    /// <summary>Vertical spread sigma-z (m) at a downwind distance (m).</summary>
    public static double SigmaZ(DispersionScheme scheme, StabilityClass stability, double downwindM)
    {
        Compute(scheme, stability, downwindM, out _, out double sz);
        return sz;
    }

    private static double PasquillGiffordSigmaZ(int stability, double xKm)
    {
        double[] rows = _sigmaZTable[stability];
        int i = 0;
        // Upper bounds are inclusive, as in ISC3 (e.g. class D uses the first pair up to and including 0.30 km).
        while (xKm > rows[i])
        {
            i += 3;
        }

        double sz = rows[i + 1] * Math.Pow(xKm, rows[i + 2]);
        return Math.Min(sz, MaxSigmaZM);
    }

    private static double BriggsSigmaZ(double a, double b, double p, double x)
    {
        return p == 0.0 ? a * x : a * x * Math.Pow(1.0 + (b * x), p);
    }
}
