using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class RiverChannelTests
{
    // Manning's equation in SI (Chow, Open-Channel Hydraulics, 1959, eq. 5-6). Check: a 10 m wide rectangular channel,
    // n = 0.03, S = 0.001, 2 m deep: A = 20 m2, P = 14 m, R = 1.4286 m, Q = (1/0.03) 20 1.4286^(2/3) 0.001^(1/2) = 26.74 m3/s.
    [Fact]
    public void The_rating_curve_is_mannings_equation_and_reads_back()
    {
        var channel = new RectangularChannel(10, 0.03, 0.001);
        Assert.Equal(26.74, channel.DischargeM3s(2), 0.01);
        Assert.Equal(2.0, channel.DepthM(26.74), 0.001);
        Assert.Equal(0, channel.DepthM(0));
    }

    // Analytic: on a wide channel Manning gives Q ~ h^(5/3), so the kinematic wave travels at c = dQ/dA = 5/3 of the
    // mean velocity (Chow, Maidment and Mays 1988, section 9.6).
    [Fact]
    public void The_kinematic_celerity_of_a_wide_channel_is_five_thirds_of_the_velocity()
    {
        var wide = new RectangularChannel(10_000, 0.035, 0.0015);
        double q = 5_000;
        double velocity = q / (10_000 * wide.DepthM(q));
        Assert.Equal(5.0 / 3.0 * velocity, wide.CelerityMps(q), 1e-3 * velocity);
    }

    // Analytic: linear Muskingum-Cunge is a diffusion wave, dQ/dt + c dQ/dx = D d2Q/dx2 with D = q / (2 S) (Cunge 1969;
    // Ponce 1989). An impulse of volume V entering a channel arrives at distance L as the inverse Gaussian
    // Q(t) = V L / sqrt(4 pi D t^3) exp(-(L - c t)^2 / (4 D t)). Routed through 40 km, a 1-hour pulse must peak within
    // 4 % of that solution's (convolved with the pulse; the scheme matches the diffusion to second order only) and at the
    // same time to within 5 routing steps; the channel's storage must account for every cubic metre.
    [Fact]
    public void Muskingum_cunge_matches_the_diffusion_wave_and_conserves_volume()
    {
        var channel = new RectangularChannel(200, 0.035, 0.001);
        const double baseFlow = 100, pulse = 900, length = 40_000;
        double Inflow(double t) => t is > 0 and < 3600 ? baseFlow + pulse : baseFlow;

        var river = new RiverChannel([new RiverReach(length, channel)], baseFlow + (pulse / 2), baseFlow, 60);
        double c = channel.CelerityMps(baseFlow + (pulse / 2));
        double diffusion = (baseFlow + (pulse / 2)) / channel.WidthM / (2 * channel.Slope);

        double peak = 0, peakAt = 0;
        for (double t = river.StepSeconds; t <= 12 * 3600; t += river.StepSeconds)
        {
            river.AdvanceTo(t, Inflow);
            if (river.DownstreamFlowM3s > peak)
            {
                peak = river.DownstreamFlowM3s;
                peakAt = t;
            }
        }

        double analyticPeak = 0, analyticAt = 0;
        for (double t = 600; t <= 12 * 3600; t += 60)
        {
            // The pulse is a sum of impulses of pulse dt' m3 each, entering at t' in (0, 1 h).
            double q = baseFlow;
            for (double entered = 30; entered < 3600; entered += 60)
            {
                double age = t - entered;
                if (age > 0)
                {
                    q += pulse * 60 * length / Math.Sqrt(4 * Math.PI * diffusion * age * age * age) * Math.Exp(-Math.Pow(length - (c * age), 2) / (4 * diffusion * age));
                }
            }

            if (q > analyticPeak)
            {
                analyticPeak = q;
                analyticAt = t;
            }
        }

        Assert.True(Math.Abs(peak - analyticPeak) <= 0.04 * analyticPeak, $"routed peak {peak:0.0}, diffusion wave {analyticPeak:0.0} m3/s");
        Assert.True(Math.Abs(peakAt - analyticAt) <= 5 * river.StepSeconds, $"routed peak at {peakAt / 3600:0.00} h, diffusion wave {analyticAt / 3600:0.00} h");
        Assert.Equal(0, river.BalanceErrorM3, 1e-9 * river.UpstreamInflowM3);
    }

    // Lateral water joins where it enters, a withdrawal never drives the channel below empty, and the balance closes.
    [Fact]
    public void Lateral_inflow_and_withdrawal_are_routed_and_accounted()
    {
        var channel = new RectangularChannel(60, 0.035, 0.0015);
        var river = new RiverChannel([new RiverReach(2_000, channel), new RiverReach(3_000, channel)], 300, 100, 60);
        int middle = river.NodeAt(2_500);
        for (double t = 60; t <= 7_200; t += 60)
        {
            river.AddLateral(middle, t <= 3_600 ? 60 * 50.0 : -60 * 1_000.0);
            river.AdvanceTo(t, _ => 100);
            Assert.True(river.DownstreamFlowM3s >= 0);
        }

        Assert.True(river.PendingLateralM3 < 0, "the withdrawal larger than the flow waits rather than running the channel dry");
        Assert.Equal(0, river.BalanceErrorM3, 1e-9 * (river.UpstreamInflowM3 + 180_000));
        Assert.Equal(100 * 7_200, river.UpstreamInflowM3, 1e-6);
    }
}
