using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class GaussianPuffTests
{
    // With ground reflection the puff holds all released mass: the integral of C over x, y and z >= 0 equals M.
    // (A midpoint sum of a Gaussian converges very fast, so a fifth of a sigma is a fine enough step.)
    [Theory]
    [InlineData(StabilityClass.B, 0.0)]
    [InlineData(StabilityClass.D, 5.0)]
    [InlineData(StabilityClass.F, 2.0)]
    public void Puff_conserves_the_released_mass(StabilityClass stability, double height)
    {
        const double mass = 1000;
        var puff = new GaussianPuff(mass, height, 2, stability);
        const double t = 300;
        puff.Sigmas(t, out double sxy, out double sz);
        double centre = 2 * t;
        double dh = sxy / 5;
        double dz = sz / 10;
        double total = 0;
        for (double x = centre - (7 * sxy); x <= centre + (7 * sxy); x += dh)
        {
            for (double y = -7 * sxy; y <= 7 * sxy; y += dh)
            {
                for (double z = dz / 2; z <= height + (8 * sz); z += dz)
                {
                    total += puff.Concentration(x, y, z, t) * dh * dh * dz;
                }
            }
        }

        Assert.Equal(mass, total, mass * 0.01);
    }

    // Turner (1970) eq. 7.1 with reflection: at the puff centre on the ground, for a ground release,
    // C = 2M / ((2 pi)^1.5 sx sy sz).
    [Fact]
    public void Centre_moves_with_the_wind_and_peaks_there()
    {
        var puff = new GaussianPuff(500, 0, 4, StabilityClass.D);
        puff.Sigmas(250, out double sxy, out double sz);
        double atCentre = puff.Concentration(1000, 0, 0, 250);
        Assert.Equal(2 * 500 / (Math.Pow(2 * Math.PI, 1.5) * sxy * sxy * sz), atCentre, 1e-12);
        Assert.True(atCentre > puff.Concentration(900, 0, 0, 250));
        Assert.True(atCentre > puff.Concentration(1100, 0, 0, 250));
        Assert.Equal(0.0, puff.Concentration(10, 0, 0, 0));
    }

    [Fact]
    public void Vectorised_evaluation_matches_single_receptors()
    {
        var puff = new GaussianPuff(200, 1, 3, StabilityClass.C, DispersionScheme.BriggsRural);
        double[] x = [1000 + 600, 1000, 1000 + 550];
        double[] y = [2000, 2000 + 600, 2000 + 40];
        double[] c = new double[3];
        puff.Evaluate(1000, 2000, 270, 200, x, y, 1.5, c); // from the west: travels east
        Assert.Equal(puff.Concentration(600, 0, 1.5, 200), c[0], 1e-15);
        Assert.Equal(puff.Concentration(0, 600, 1.5, 200), c[1], 1e-15);
        Assert.Equal(puff.Concentration(550, 40, 1.5, 200), c[2], 1e-15);
    }
}
