using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class GaussianPlumeTests
{
    // Source: Boubel, Fox, Turner and Stern, Fundamentals of Air Pollution (3rd ed., Academic Press 1994), section 19.III.D
    // "Example of a dispersion calculation" (pp. 303-305): Q = 0.37 g/s, H = 40 m, u = 2 m/s, class B; the ground
    // centreline concentration near its maximum is 1.53e-5, 1.56e-5 and 1.55e-5 g/m^3 at 0.26, 0.28 and 0.30 km.
    // Tolerance: the book's rounding to three figures.
    [Theory]
    [InlineData(260.0, 1.53e-5)]
    [InlineData(280.0, 1.56e-5)]
    [InlineData(300.0, 1.55e-5)]
    public void Ground_centreline_matches_the_worked_example_of_Boubel_et_al(double xM, double published)
    {
        var plume = new GaussianPlume(0.37, 40, 2, StabilityClass.B);
        Assert.Equal(published, plume.Concentration(xM, 0, 0), 0.005e-5);
    }

    // Turner (1970) eq. 3.3: for a ground-level source (H = 0) the ground centreline concentration is Q / (pi u sy sz).
    [Fact]
    public void Ground_source_on_the_centreline_is_Q_over_pi_u_sy_sz()
    {
        var plume = new GaussianPlume(10, 0, 3, StabilityClass.D);
        DispersionCoefficients.Compute(DispersionScheme.PasquillGifford, StabilityClass.D, 1000, out double sy, out double sz);
        Assert.Equal(10 / (Math.PI * 3 * sy * sz), plume.Concentration(1000, 0, 0), 1e-12);
    }

    [Fact]
    public void Nothing_upwind_and_symmetric_crosswind()
    {
        var plume = new GaussianPlume(1, 10, 4, StabilityClass.C, DispersionScheme.BriggsUrban);
        Assert.Equal(0.0, plume.Concentration(0, 0, 0));
        Assert.Equal(0.0, plume.Concentration(-100, 0, 0));
        Assert.Equal(plume.Concentration(400, 30, 2), plume.Concentration(400, -30, 2));
        Assert.True(plume.Concentration(400, 0, 2) > plume.Concentration(400, 30, 2));
    }

    // Continuity: with total ground reflection the flux through any downwind plane, u * integral of C dy dz over
    // z >= 0, equals the emission rate Q.
    [Theory]
    [InlineData(DispersionScheme.PasquillGifford, StabilityClass.B)]
    [InlineData(DispersionScheme.BriggsRural, StabilityClass.E)]
    [InlineData(DispersionScheme.BriggsUrban, StabilityClass.D)]
    public void Flux_through_a_downwind_plane_equals_the_source_rate(DispersionScheme scheme, StabilityClass stability)
    {
        const double q = 2.5;
        const double u = 3.0;
        var plume = new GaussianPlume(q, 25, u, stability, scheme);
        DispersionCoefficients.Compute(scheme, stability, 600, out double sy, out double sz);
        double dy = sy / 20;
        double dz = sz / 20;
        double flux = 0;
        for (double y = -8 * sy; y <= 8 * sy; y += dy)
        {
            for (double z = dz / 2; z <= 25 + (8 * sz); z += dz)
            {
                flux += u * plume.Concentration(600, y, z) * dy * dz;
            }
        }

        Assert.Equal(q, flux, q * 0.01);
    }

    [Theory]
    [InlineData(270.0, 1.0, 0.0)]  // wind from the west blows towards the east
    [InlineData(0.0, 0.0, -1.0)]   // from the north, towards the south
    [InlineData(90.0, -1.0, 0.0)]  // from the east, towards the west
    [InlineData(225.0, 0.70710678118654757, 0.70710678118654757)] // from the south-west, towards the north-east
    public void Receptor_evaluation_uses_the_meteorological_wind_direction(double windFrom, double eastUnit, double northUnit)
    {
        var plume = new GaussianPlume(0.37, 40, 2, StabilityClass.B);
        double sx = 500_000;
        double sy = 3_400_000;
        double[] x = [sx + (280 * eastUnit), sx - (280 * eastUnit), sx + (280 * eastUnit) - (50 * northUnit)];
        double[] y = [sy + (280 * northUnit), sy - (280 * northUnit), sy + (280 * northUnit) + (50 * eastUnit)];
        double[] c = new double[3];
        plume.Evaluate(sx, sy, windFrom, x, y, 0.0, c);
        Assert.Equal(plume.Concentration(280, 0, 0), c[0], 1e-12);
        Assert.Equal(0.0, c[1]);
        Assert.Equal(plume.Concentration(280, 50, 0), c[2], 1e-12);
    }

    [Fact]
    public void Vectorised_evaluation_matches_single_receptors()
    {
        var plume = new GaussianPlume(5, 2, 3, StabilityClass.D, DispersionScheme.BriggsUrban);
        var random = new Random(7);
        const int n = 2000;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = random.NextDouble() * 4000;
            y[i] = random.NextDouble() * 4000;
            h[i] = random.NextDouble() * 30;
        }

        double[] c = new double[n];
        const double windFrom = 200;
        plume.Evaluate(2000, 2000, windFrom, x, y, h, c);
        double theta = windFrom * Math.PI / 180;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - 2000;
            double dy = y[i] - 2000;
            double along = (-dx * Math.Sin(theta)) - (dy * Math.Cos(theta));
            double across = (-dx * Math.Cos(theta)) + (dy * Math.Sin(theta));
            double expected = plume.Concentration(along, across, h[i]);
            Assert.True(Math.Abs(expected - c[i]) <= 1e-9 * Math.Abs(expected), $"receptor {i}: {c[i]} vs {expected}");
        }
    }

    [Fact]
    public void Rejects_calm_wind_and_negative_rate()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianPlume(1, 10, 0, StabilityClass.D));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianPlume(-1, 10, 2, StabilityClass.D));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianPlume(1, double.NaN, 2, StabilityClass.D));
    }
}
