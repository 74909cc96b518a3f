using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class ScsUnitHydrographTests
{
    // Source: Chow, Maidment and Mays, Applied Hydrology (1988), section 7.7, SCS triangular unit hydrograph worked
    // example: a 3.0 km2 basin with tc = 1.25 h and a 10-minute excess: tp = 0.6 tc = 0.75 h, Tp = 0.833 h,
    // qp = 2.08 A / Tp = 7.49 m3/s per cm of excess, tb = 2.22 h.
    [Fact]
    public void The_textbook_ten_minute_unit_hydrograph()
    {
        var uh = new ScsUnitHydrograph(3.0, 0.6 * 1.25, 10.0 / 60);
        Assert.Equal(0.833, uh.PeakTimeHours, 0.001);
        Assert.Equal(7.49, uh.PeakM3sPerMm * 10, 0.02);
        Assert.Equal(2.22, uh.BaseTimeHours, 0.005);
    }

    // The triangle holds exactly one millimetre over the catchment (1,000 m3 per km2), which is what makes it a unit graph.
    [Fact]
    public void The_triangle_holds_one_millimetre_and_a_storm_runs_off_its_scs_excess()
    {
        var uh = new ScsUnitHydrograph(120, 2.0, 0.25);
        double volume = 0;
        for (double t = 0; t < uh.BaseTimeHours + 1; t += 0.001)
        {
            volume += uh.OrdinateM3sPerMm(t + 0.0005) * 3.6;
        }

        Assert.Equal(120_000, volume, 1.0);

        // A storm's direct runoff volume is its SCS-CN excess over the catchment: 100 mm on CN 80 gives 50.5 mm.
        Hyetograph storm = Hyetograph.Chicago(100, TimeSpan.FromHours(3), TimeSpan.FromMinutes(5));
        double runoff = 0;
        for (double t = 0; t < 20; t += 0.01)
        {
            runoff += ScsUnitHydrograph.DirectRunoffM3s(storm, 120, 80, 2.0, t + 0.005) * 36;
        }

        double excessMm = ScsCurveNumber.RunoffMm(100, 80);
        Assert.Equal(50.5, excessMm, 0.1);
        Assert.Equal(excessMm * 120_000, runoff, 1e-3 * runoff);
    }
}
