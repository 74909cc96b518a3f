namespace CityTwin.Scenarios.Models;

/// <summary>
/// A rectangular channel cross-section with Manning's equation (SI): Q = (1/n) A R^(2/3) S^(1/2), A = B h, R = A / (B + 2h).
/// Its rating curve gives the normal depth of a flow, and the kinematic wave celerity dQ/dA for Muskingum-Cunge.
/// </summary>
public sealed class RectangularChannel
{
    /// <summary>A channel <paramref name="widthM"/> wide, of Manning n <paramref name="manningN"/>, on bed slope <paramref name="slope"/>.</summary>
    public RectangularChannel(double widthM, double manningN, double slope)
    {
        if (!(widthM > 0) || !double.IsFinite(widthM) || !(manningN > 0) || !double.IsFinite(manningN) || !(slope > 0) || !double.IsFinite(slope))
        {
            throw new ArgumentOutOfRangeException(nameof(widthM), "Need a positive width, Manning n and slope.");
        }

        WidthM = widthM;
        ManningN = manningN;
        Slope = slope;
    }

    /// <summary>Bottom width, m.</summary>
    public double WidthM { get; }

    /// <summary>Manning's roughness n, s/m^(1/3).</summary>
    public double ManningN { get; }

    /// <summary>Bed slope, m/m.</summary>
    public double Slope { get; }

    /// <summary>Normal-flow discharge at depth <paramref name="depthM"/>, m^3/s.</summary>
    public double DischargeM3s(double depthM)
    {
        if (!(depthM > 0))
        {
            return 0;
        }

        double area = WidthM * depthM;
        double radius = area / (WidthM + (2 * depthM));
        return area * Math.Pow(radius, 2.0 / 3.0) * Math.Sqrt(Slope) / ManningN;
    }

    /// <summary>Normal depth of a flow (the rating curve read backwards), m, to a micrometre.</summary>
    public double DepthM(double dischargeM3s)
    {
        if (!(dischargeM3s > 0))
        {
            return 0;
        }

        // Q grows monotonically with depth: bracket, then bisect (robust and plenty fast for a few dozen reaches).
        double low = 0, high = 1;
        while (DischargeM3s(high) < dischargeM3s)
        {
            low = high;
            high *= 2;
        }

        while (high - low > 1e-6)
        {
            double mid = 0.5 * (low + high);
            if (DischargeM3s(mid) < dischargeM3s)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return 0.5 * (low + high);
    }

    /// <summary>Kinematic wave celerity c = dQ/dA at a flow, m/s.</summary>
    public double CelerityMps(double dischargeM3s)
    {
        double h = DepthM(dischargeM3s);
        if (h <= 0)
        {
            return 0;
        }

        // dQ/dh = Q (5/(3h) - 4/(3(B + 2h))) for the rectangle; dA = B dh.
        return DischargeM3s(h) * ((5.0 / (3.0 * h)) - (4.0 / (3.0 * (WidthM + (2 * h))))) / WidthM;
    }
}
