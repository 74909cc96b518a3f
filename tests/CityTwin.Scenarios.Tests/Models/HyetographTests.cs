using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class HyetographTests
{
    [Fact]
    public void Increments_accumulate_and_interpolate_within_blocks()
    {
        var h = Hyetograph.FromIncrements([(10, 5), (20, 30), (30, 0)]);
        Assert.Equal(3, h.BlockCount);
        Assert.Equal(3600, h.DurationSeconds);
        Assert.Equal(35, h.TotalDepthMm);
        Assert.Equal(5, h.CumulativeDepthMm(600));
        Assert.Equal(5 + 15, h.CumulativeDepthMm(600 + 600), 1e-12);
        Assert.Equal(35, h.CumulativeDepthMm(10_000));
        Assert.Equal(0, h.CumulativeDepthMm(-5));
        Assert.Equal(90, h.IntensityMmPerHour(700), 1e-12); // 30 mm in 20 min
        Assert.Equal(30, h.DepthBetweenMm(600, 1800), 1e-12);
        Assert.Equal(0, h.IntensityMmPerHour(3600));
    }

    [Fact]
    public void Uniform_storm_has_constant_intensity()
    {
        var h = Hyetograph.Uniform(60, TimeSpan.FromHours(2), TimeSpan.FromMinutes(10));
        Assert.Equal(12, h.BlockCount);
        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal(5, h.BlockDepthMm(i), 1e-12));
        Assert.Equal(30, h.IntensityMmPerHour(1234), 1e-12);
    }

    // Red rainstorm warning (China Meteorological Administration): 100 mm or more within 3 hours.
    [Fact]
    public void Red_rainstorm_is_100_mm_in_3_hours_peaking_at_0_4_of_the_duration()
    {
        Hyetograph h = Hyetograph.RedRainstorm();
        Assert.Equal(36, h.BlockCount);
        Assert.Equal(3 * 3600, h.DurationSeconds);
        Assert.Equal(100, h.TotalDepthMm, 1e-9);
        int peak = Enumerable.Range(0, h.BlockCount).MaxBy(h.BlockDepthMm);
        // The peak at 0.4 x 180 min = 72 min falls in the 5-minute block from 70 to 75 min.
        Assert.Equal(14, peak);
        Assert.All(Enumerable.Range(0, h.BlockCount), i => Assert.True(h.BlockDepthMm(i) > 0));
    }

    // Keifer and Chu (1957): every window of length T around the peak of a Chicago storm holds the IDF depth
    // a T / (T + b)^c; so the 30-minute window from 72 - 12 to 72 + 18 minutes holds a 30 / (30 + b)^c.
    [Fact]
    public void Chicago_storm_windows_around_the_peak_hold_the_IDF_depth()
    {
        var h = Hyetograph.Chicago(100, TimeSpan.FromHours(3), TimeSpan.FromMinutes(1), 0.4, 10, 0.75);
        double a = 100 * Math.Pow(180 + 10, 0.75) / 180;
        double expected = a * 30 / Math.Pow(30 + 10, 0.75);
        Assert.Equal(expected, h.DepthBetweenMm(60 * 60, 90 * 60), 1e-9);
    }
}
