using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class MuskingumTests
{
    // Source: K. Subramanya, Engineering Hydrology (3rd ed., Tata McGraw-Hill 2008), Example 8.6: K = 12 h, x = 0.2,
    // dt = 6 h, initial outflow 10 m3/s. The book's coefficients are C0 = 0.048, C1 = 0.429, C2 = 0.523 and its routed
    // outflows the list below; the book rounds the coefficients to three places, hence the 0.15 m3/s tolerance.
    private static readonly double[] SubramanyaInflow = [10, 20, 50, 60, 55, 45, 35, 27, 20, 15];
    private static readonly double[] SubramanyaOutflow = [10.00, 10.48, 16.46, 32.94, 45.61, 49.61, 46.93, 40.87, 33.92, 27.04];

    [Fact]
    public void Subramanya_example_8_6_routes_to_the_published_outflows()
    {
        MuskingumRouting routed = Muskingum.Route(SubramanyaInflow, 6, 12, 0.2, 10);

        Assert.Equal(0.048, routed.C0, 0.0005);
        Assert.Equal(0.429, routed.C1, 0.0005);
        Assert.Equal(0.523, routed.C2, 0.001);
        Assert.Equal(1.0, routed.C0 + routed.C1 + routed.C2, 12);
        for (int j = 0; j < SubramanyaOutflow.Length; j++)
        {
            Assert.True(Math.Abs(SubramanyaOutflow[j] - routed.Outflow[j]) <= 0.15, $"t = {6 * j} h: book {SubramanyaOutflow[j]}, routed {routed.Outflow[j]:0.00}");
        }

        // The book reads the peak off its table: about 49.6 m3/s at 30 h (attenuation about 10 m3/s, lag 12 h).
        Assert.Equal(49.61, routed.PeakOutflow, 0.15);
        Assert.Equal(30, routed.PeakAt);
    }

    // Source: Chow, Maidment and Mays, Applied Hydrology (McGraw-Hill 1988), Example 8.4.1: K = 2.3 h, X = 0.15 and
    // dt = 1 h give C1 = 0.0631, C2 = 0.3442, C3 = 0.5927 (the book's names for the weights of I(j+1), I(j) and Q(j)).
    [Fact]
    public void Chow_example_8_4_1_coefficients()
    {
        (double c0, double c1, double c2) = Muskingum.Coefficients(1, 2.3, 0.15);
        Assert.Equal(0.0631, c0, 0.00005);
        Assert.Equal(0.3442, c1, 0.00005);
        Assert.Equal(0.5927, c2, 0.00005);
    }

    [Theory]
    [InlineData(1.0, 12, 0.2, "C0 is negative")] // dt below 2Kx = 4.8 h
    [InlineData(30, 12, 0.2, "C2 is negative")] // dt above 2K(1-x) = 19.2 h
    [InlineData(6, 12, 0.6, "x must be between 0 and 0.5")]
    [InlineData(6, 12, -0.1, "x must be between 0 and 0.5")]
    [InlineData(6, 0, 0.2, "K must be")]
    public void A_step_outside_the_stable_range_is_refused_saying_which_rule(double dt, double k, double x, string rule)
    {
        Assert.Contains(rule, Muskingum.Rule(dt, k, x, "h"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Muskingum.Route(SubramanyaInflow, dt, k, x, 10));
    }

    // Continuity: once the wave has passed, what came out equals what went in (storage returns to its start), and a
    // steady flow stays exactly steady.
    [Fact]
    public void A_routed_wave_keeps_its_volume_and_a_steady_flow_stays_steady()
    {
        double[] inflow = [.. SubramanyaInflow, .. Enumerable.Repeat(10.0, 60)];
        MuskingumRouting routed = Muskingum.Route(inflow, 6, 12, 0.2, 10);
        double volumeIn = Enumerable.Range(1, inflow.Length - 1).Sum(j => inflow[j - 1] + inflow[j]);
        double volumeOut = Enumerable.Range(1, inflow.Length - 1).Sum(j => routed.Outflow[j - 1] + routed.Outflow[j]);
        Assert.Equal(volumeIn, volumeOut, 1e-6 * volumeIn);

        MuskingumRouting steady = Muskingum.Route(Enumerable.Repeat(37.5, 20).ToArray(), 1, 2.3, 0.15, 37.5);
        Assert.All(steady.Outflow, q => Assert.Equal(37.5, q, 12));
    }
}
