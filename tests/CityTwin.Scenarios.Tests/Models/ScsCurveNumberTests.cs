using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class ScsCurveNumberTests
{
    // Source: USDA NRCS (1986) TR-55 "Urban Hydrology for Small Watersheds", eqs. 2-1 to 2-4 and Table 2-1:
    // P = 5.0 in, CN = 80 -> S = 1000/80 - 10 = 2.5 in, Ia = 0.5 in, Q = 4.5^2 / (4.5 + 2.5) = 2.893 in.
    [Fact]
    public void TR55_five_inches_on_CN_80_gives_2_89_inches()
    {
        const double inch = 25.4;
        Assert.Equal(2.5 * inch, ScsCurveNumber.RetentionMm(80), 1e-9);
        Assert.Equal(0.5 * inch, ScsCurveNumber.InitialAbstractionMm(80), 1e-9);
        double q = ScsCurveNumber.RunoffMm(5.0 * inch, 80) / inch;
        Assert.Equal(2.893, q, 0.001);
    }

    // TR-55 Table 2-1: P = 3.0 in on CN 90 -> 1.98 in (S = 1.111 in, Ia = 0.222 in, Q = 2.778^2 / 3.889).
    [Fact]
    public void TR55_three_inches_on_CN_90_gives_1_98_inches()
    {
        Assert.Equal(1.98, ScsCurveNumber.RunoffMm(3.0 * 25.4, 90) / 25.4, 0.005);
    }

    [Fact]
    public void Rain_below_the_initial_abstraction_gives_no_runoff()
    {
        double ia = ScsCurveNumber.InitialAbstractionMm(70); // 21.77 mm
        Assert.Equal(0.0, ScsCurveNumber.RunoffMm(ia - 0.01, 70));
        Assert.Equal(0.0, ScsCurveNumber.RunoffMm(ia, 70));
        Assert.True(ScsCurveNumber.RunoffMm(ia + 1, 70) > 0);
        Assert.Equal(0.0, ScsCurveNumber.RunoffMm(0, 98));
    }

    [Fact]
    public void Curve_number_100_runs_everything_off()
    {
        Assert.Equal(0.0, ScsCurveNumber.RetentionMm(100));
        Assert.Equal(42.0, ScsCurveNumber.RunoffMm(42, 100), 1e-12);
    }

    [Fact]
    public void Incremental_runoff_sums_to_the_storm_total()
    {
        Hyetograph storm = Hyetograph.RedRainstorm();
        double[] rain = new double[storm.BlockCount];
        for (int i = 0; i < rain.Length; i++)
        {
            rain[i] = storm.BlockDepthMm(i);
        }

        double[] runoff = new double[rain.Length];
        ScsCurveNumber.IncrementalRunoff(rain, 85, runoff);
        Assert.Equal(ScsCurveNumber.RunoffMm(100, 85), runoff.Sum(), 1e-9);
        Assert.All(runoff, q => Assert.True(q >= 0));
        Assert.Equal(0.0, runoff[0]); // the first 5 minutes fill the initial abstraction (8.96 mm on CN 85)
        Assert.Equal(
            ScsCurveNumber.RunoffMm(60, 85) - ScsCurveNumber.RunoffMm(40, 85),
            ScsCurveNumber.IncrementalRunoffMm(40, 60, 85),
            1e-12);
    }

    // TR-55 Table 2-2a values (HSG B and C) and its Figure 2-3 composite rule: the urban-district curve numbers of the
    // table were derived as CNc = CNp + f (98 - CNp) with open space in good condition (CN 61 on B, 74 on C).
    [Theory]
    [InlineData(UrbanLandCover.Commercial, HydrologicSoilGroup.B, 92, 0.85)]
    [InlineData(UrbanLandCover.Commercial, HydrologicSoilGroup.C, 94, 0.85)]
    [InlineData(UrbanLandCover.Industrial, HydrologicSoilGroup.B, 88, 0.72)]
    [InlineData(UrbanLandCover.Industrial, HydrologicSoilGroup.C, 91, 0.72)]
    [InlineData(UrbanLandCover.ResidentialDense, HydrologicSoilGroup.B, 85, 0.65)]
    [InlineData(UrbanLandCover.ResidentialQuarterAcre, HydrologicSoilGroup.B, 75, 0.38)]
    [InlineData(UrbanLandCover.ResidentialQuarterAcre, HydrologicSoilGroup.C, 83, 0.38)]
    [InlineData(UrbanLandCover.ResidentialHalfAcre, HydrologicSoilGroup.C, 80, 0.25)]
    public void Urban_table_values_agree_with_the_composite_rule(UrbanLandCover cover, HydrologicSoilGroup soil, double tableCn, double impervious)
    {
        Assert.Equal(tableCn, ScsCurveNumber.ForLandCover(cover, soil));
        double openSpace = ScsCurveNumber.ForLandCover(UrbanLandCover.OpenSpaceGood, soil);
        Assert.Equal(tableCn, ScsCurveNumber.FromImperviousness(impervious, openSpace), 0.6);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Rejects_curve_numbers_outside_0_to_100(double cn)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScsCurveNumber.RunoffMm(50, cn));
        Assert.False(ScsCurveNumber.IsValidCurveNumber(cn));
    }
}
