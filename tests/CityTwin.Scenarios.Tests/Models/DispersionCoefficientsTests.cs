using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class DispersionCoefficientsTests
{
    // Source: Turner (1970) Workbook of Atmospheric Dispersion Estimates, Figures 3-2 and 3-3: at 1 km in class D
    // the Pasquill-Gifford charts read sigma-y ~ 68 m and sigma-z ~ 32 m.
    [Fact]
    public void Class_D_at_one_kilometre_matches_Turners_charts()
    {
        DispersionCoefficients.Compute(DispersionScheme.PasquillGifford, StabilityClass.D, 1000, out double sy, out double sz);
        Assert.InRange(sy, 68 * 0.97, 68 * 1.03);
        Assert.InRange(sz, 32 * 0.97, 32 * 1.03);
    }

    // Source: EPA-454/B-95-003b (ISC3 user's guide vol. II) eqs. 1-32 to 1-35 and Tables 1-1/1-2, evaluated by hand:
    // sigma-y = 465.11628 x tan(0.017453293 (c - d ln x)), sigma-z = a x^b, x in km.
    [Theory]
    [InlineData(StabilityClass.D, 1000.0, 8.3330, 0.72382, 32.093, 0.81066)]
    [InlineData(StabilityClass.B, 280.0, 18.3330, 1.8096, 98.483, 0.98332)]
    [InlineData(StabilityClass.A, 120.0, 24.1670, 2.5334, 158.080, 1.05420)]
    [InlineData(StabilityClass.C, 5000.0, 12.5000, 1.0857, 61.141, 0.91465)]
    [InlineData(StabilityClass.E, 1500.0, 6.2500, 0.54287, 21.628, 0.63077)]
    [InlineData(StabilityClass.F, 500.0, 4.1667, 0.36191, 14.457, 0.78407)]
    [InlineData(StabilityClass.D, 300.0, 8.3330, 0.72382, 34.459, 0.86974)] // 0.30 km still uses the first pair
    public void Pasquill_Gifford_uses_the_ISC3_fits(StabilityClass stability, double xM, double c, double d, double a, double b)
    {
        double xKm = xM / 1000;
        double expectedY = 465.11628 * xKm * Math.Tan(0.017453293 * (c - (d * Math.Log(xKm))));
        double expectedZ = a * Math.Pow(xKm, b);
        DispersionCoefficients.Compute(DispersionScheme.PasquillGifford, stability, xM, out double sy, out double sz);
        Assert.Equal(expectedY, sy, 1e-9);
        Assert.Equal(expectedZ, sz, 1e-9);
    }

    // Source: Turner (1970) Workbook of Atmospheric Dispersion Estimates, Figure 3-2, read off the chart at 1 km:
    // sigma-y = 215, 155, 105, 68, 51 and 34 m for classes A to F. Tolerance 4 %, the reading of a log-log chart.
    [Theory]
    [InlineData(StabilityClass.A, 215.0)]
    [InlineData(StabilityClass.B, 155.0)]
    [InlineData(StabilityClass.C, 105.0)]
    [InlineData(StabilityClass.D, 68.0)]
    [InlineData(StabilityClass.E, 51.0)]
    [InlineData(StabilityClass.F, 34.0)]
    public void Sigma_y_at_one_kilometre_matches_Turners_chart_for_every_class(StabilityClass stability, double published)
    {
        DispersionCoefficients.Compute(DispersionScheme.PasquillGifford, stability, 1000, out double sy, out _);
        Assert.InRange(sy, published * 0.96, published * 1.04);
    }

    // Source: Boubel, Fox, Turner and Stern, Fundamentals of Air Pollution (3rd ed., Academic Press 1994), Table 19-5
    // (the Pasquill-Gifford vertical dispersion parameter as fitted for ISC): sigma-z tabulated at the far end of each
    // distance range, to 0.1 m. Tolerance: the table's rounding.
    [Theory]
    [InlineData(StabilityClass.A, 100.0, 14.0)]
    [InlineData(StabilityClass.A, 150.0, 21.4)]
    [InlineData(StabilityClass.A, 200.0, 29.3)]
    [InlineData(StabilityClass.A, 250.0, 37.7)]
    [InlineData(StabilityClass.A, 300.0, 47.4)]
    [InlineData(StabilityClass.A, 400.0, 71.2)]
    [InlineData(StabilityClass.A, 500.0, 104.7)]
    [InlineData(StabilityClass.B, 200.0, 20.2)]
    [InlineData(StabilityClass.B, 400.0, 40.0)]
    [InlineData(StabilityClass.D, 300.0, 12.1)]
    [InlineData(StabilityClass.D, 1000.0, 32.1)]
    [InlineData(StabilityClass.D, 3000.0, 65.1)]
    [InlineData(StabilityClass.D, 10_000.0, 134.9)]
    [InlineData(StabilityClass.D, 30_000.0, 251.2)]
    [InlineData(StabilityClass.E, 20_000.0, 109.3)]
    [InlineData(StabilityClass.E, 40_000.0, 141.9)]
    public void Sigma_z_matches_the_published_table(StabilityClass stability, double xM, double published)
    {
        Assert.Equal(published, DispersionCoefficients.SigmaZ(DispersionScheme.PasquillGifford, stability, xM), 0.06);
    }

    // ISC3 vol. II: class A beyond 3.11 km, and any sigma-z above 5000 m, is set to 5000 m.
    [Fact]
    public void Sigma_z_is_capped_at_5000_m()
    {
        Assert.Equal(5000.0, DispersionCoefficients.SigmaZ(DispersionScheme.PasquillGifford, StabilityClass.A, 3500));
        Assert.Equal(5000.0, DispersionCoefficients.SigmaZ(DispersionScheme.PasquillGifford, StabilityClass.B, 100_000));
        Assert.True(DispersionCoefficients.SigmaZ(DispersionScheme.PasquillGifford, StabilityClass.A, 3000) < 5000);
    }

    // Source: Briggs (1973) as tabulated in Hanna, Briggs and Hosker (1982), Handbook on Atmospheric Diffusion,
    // Table 4.5, and Seinfeld and Pandis Table 18.4: open country class D, sigma-y = 0.08x(1+0.0001x)^-1/2,
    // sigma-z = 0.06x(1+0.0015x)^-1/2; urban class D, sigma-y = 0.16x(1+0.0004x)^-1/2, sigma-z = 0.14x(1+0.0003x)^-1/2.
    [Fact]
    public void Briggs_class_D_at_one_kilometre()
    {
        DispersionCoefficients.Compute(DispersionScheme.BriggsRural, StabilityClass.D, 1000, out double ry, out double rz);
        Assert.Equal(80 / Math.Sqrt(1.1), ry, 1e-9);
        Assert.Equal(60 / Math.Sqrt(2.5), rz, 1e-9);
        Assert.Equal(76.28, ry, 0.01);
        Assert.Equal(37.95, rz, 0.01);

        DispersionCoefficients.Compute(DispersionScheme.BriggsUrban, StabilityClass.D, 1000, out double uy, out double uz);
        Assert.Equal(160 / Math.Sqrt(1.4), uy, 1e-9);
        Assert.Equal(140 / Math.Sqrt(1.3), uz, 1e-9);
    }

    [Fact]
    public void Briggs_urban_A_and_B_share_a_formula_as_do_E_and_F()
    {
        Assert.Equal(
            DispersionCoefficients.SigmaZ(DispersionScheme.BriggsUrban, StabilityClass.A, 700),
            DispersionCoefficients.SigmaZ(DispersionScheme.BriggsUrban, StabilityClass.B, 700));
        Assert.Equal(
            DispersionCoefficients.SigmaY(DispersionScheme.BriggsUrban, StabilityClass.E, 700),
            DispersionCoefficients.SigmaY(DispersionScheme.BriggsUrban, StabilityClass.F, 700));
        // Urban A-B sigma-z grows faster than linearly: 0.24x(1+0.001x)^+1/2.
        Assert.Equal(0.24 * 1000 * Math.Sqrt(2.0), DispersionCoefficients.SigmaZ(DispersionScheme.BriggsUrban, StabilityClass.A, 1000), 1e-9);
    }

    [Theory]
    [InlineData(DispersionScheme.PasquillGifford)]
    [InlineData(DispersionScheme.BriggsRural)]
    [InlineData(DispersionScheme.BriggsUrban)]
    public void Spread_decreases_from_unstable_to_stable_and_grows_with_distance(DispersionScheme scheme)
    {
        for (int s = 0; s < 5; s++)
        {
            Assert.True(DispersionCoefficients.SigmaY(scheme, (StabilityClass)s, 800) >= DispersionCoefficients.SigmaY(scheme, (StabilityClass)(s + 1), 800));
        }

        double previous = 0;
        foreach (double x in new[] { 50.0, 100, 200, 500, 1000, 2000, 5000, 10_000 })
        {
            double sy = DispersionCoefficients.SigmaY(scheme, StabilityClass.D, x);
            Assert.True(sy > previous);
            previous = sy;
        }
    }
}
