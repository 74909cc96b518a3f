using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class DispersionCoefficientsTests
{
    // Source: Turner (1970) Workbook of Atmospheric Dispersion Estimates, Figure 3-2 (Pasquill-Gifford sigma-y), values
    // read off the chart as tabulated in the University of Washington CEE 490 notes "Plume Dispersion Coefficients"
    // (courses.washington.edu/cee490/DISPCOEF4WP.htm); class A is not charted beyond 3 km. The values are chart
    // readings to two or three figures, so the tolerance is 6 %.
    [Theory]
    [InlineData(100.0, new[] { 27.0, 19, 13, 8, 6, 4 })]
    [InlineData(200.0, new[] { 50.0, 36, 23, 15, 11, 8 })]
    [InlineData(400.0, new[] { 94.0, 67, 44, 29, 21, 14 })]
    [InlineData(700.0, new[] { 155.0, 112, 74, 48, 36, 24 })]
    [InlineData(1000.0, new[] { 215.0, 155, 105, 68, 51, 34 })]
    [InlineData(2000.0, new[] { 390.0, 295, 200, 130, 96, 64 })]
    [InlineData(4000.0, new[] { double.NaN, 550, 370, 245, 180, 120 })]
    [InlineData(7000.0, new[] { double.NaN, 890, 610, 400, 300, 200 })]
    [InlineData(10_000.0, new[] { double.NaN, 1190, 840, 550, 420, 275 })]
    [InlineData(20_000.0, new[] { double.NaN, 2150, 1540, 1000, 760, 500 })]
    public void Sigma_y_matches_Turners_chart_for_every_class(double xM, double[] publishedByClass)
    {
        for (int s = 0; s < publishedByClass.Length; s++)
        {
            double published = publishedByClass[s];
            if (double.IsNaN(published))
            {
                continue;
            }

            double sy = DispersionCoefficients.SigmaY(DispersionScheme.PasquillGifford, (StabilityClass)s, xM);
            Assert.InRange(sy, published * 0.94, published * 1.06);
        }
    }

    // Source: Boubel, Fox, Turner and Stern, Fundamentals of Air Pollution (3rd ed., Academic Press 1994), section 19.III.D
    // "Example of a dispersion calculation" (pp. 303-305): class B, sigma-y from Table 19-4 and sigma-z from Table 19-5 at
    // 0.26, 0.28 and 0.30 km are 45.9, 49.0, 52.2 m and 26.2, 28.2, 30.1 m. Tolerance: the book's rounding to 0.1 m.
    [Theory]
    [InlineData(260.0, 45.9, 26.2)]
    [InlineData(280.0, 49.0, 28.2)]
    [InlineData(300.0, 52.2, 30.1)]
    public void Class_B_sigmas_match_the_worked_example_of_Boubel_et_al(double xM, double sigmaY, double sigmaZ)
    {
        DispersionCoefficients.Compute(DispersionScheme.PasquillGifford, StabilityClass.B, xM, out double sy, out double sz);
        Assert.Equal(sigmaY, sy, 0.05);
        Assert.Equal(sigmaZ, sz, 0.05);
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
    // Table 4.5, in Seinfeld and Pandis Table 18.4 and in Boubel et al. (1994) Tables 19-6 and 19-7 (formulas only; no
    // source found tabulates their values): open country class D, sigma-y = 0.08x(1+0.0001x)^-1/2,
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
