using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>The rule classes on their own, against values worked out by hand.</summary>
public sealed class TelemetryRuleTests
{
    private static readonly GaugeDefinition Gauge = new(
        "gauge-1", "test", new GeoPoint(104, 30), null, null, null, null, 490, 492, WarningLevelM: 495, GuaranteedLevelM: 496, HistoricMaxLevelM: 497);

    private static readonly DateTimeOffset T0 = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Running_statistics_match_the_textbook_example()
    {
        var stats = new RunningStatistics();
        foreach (double v in new double[] { 2, 4, 4, 4, 5, 5, 7, 9 })
        {
            stats.Add(v);
        }

        // Sum 40 over 8 values; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32 / 7.
        Assert.Equal(8, stats.Count);
        Assert.Equal(5, stats.Mean, 12);
        Assert.Equal(32.0 / 7, stats.Variance, 12);
        Assert.Equal(2, stats.Min);
        Assert.Equal(9, stats.Max);
    }

    [Fact]
    public void Running_statistics_stay_exact_for_large_offsets()
    {
        // The naive sum-of-squares formula loses every digit here; Welford keeps the variance of 1e9 + {4, 7, 13, 16}.
        var stats = new RunningStatistics();
        foreach (double v in new double[] { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 })
        {
            stats.Add(v);
        }

        Assert.Equal(30, stats.Variance, 6);
    }

    [Theory]
    [InlineData(494.49, RiverTier.Normal)]
    [InlineData(494.5, RiverTier.Blue)]
    [InlineData(494.99, RiverTier.Blue)]
    [InlineData(495.0, RiverTier.Yellow)]
    [InlineData(495.99, RiverTier.Yellow)]
    [InlineData(496.0, RiverTier.Orange)]
    [InlineData(497.0, RiverTier.Red)]
    [InlineData(499.0, RiverTier.Red)]
    public void River_tiers_start_at_their_reference_levels(double level, RiverTier expected) =>
        Assert.Equal(expected, RiverTierRule.Classify(level, Gauge, nearWarningMarginM: 0.5));

    // A record high below the guaranteed level (a river whose banks have never been tested) must not put red before
    // orange: red then starts at the guaranteed level too, so the tiers still rise in order.
    [Theory]
    [InlineData(495.5, RiverTier.Yellow)]
    [InlineData(495.99, RiverTier.Yellow)]
    [InlineData(496.0, RiverTier.Red)]
    public void Red_never_starts_below_orange(double level, RiverTier expected)
    {
        GaugeDefinition untested = Gauge with { HistoricMaxLevelM = 495.4 };
        Assert.Equal(expected, RiverTierRule.Classify(level, untested, nearWarningMarginM: 0.5));
        Assert.Equal(496.0, RiverTierRule.LowerBound(RiverTier.Red, untested, 0.5));
    }

    [Theory]
    [InlineData(RiverTier.Yellow, 494.97, RiverTier.Yellow)] // within the 0.05 m hysteresis below 495: stays
    [InlineData(RiverTier.Yellow, 494.94, RiverTier.Blue)]   // clear of 495 by more than 0.05 m, not of 494.5
    [InlineData(RiverTier.Red, 496.97, RiverTier.Red)]
    [InlineData(RiverTier.Red, 496.5, RiverTier.Orange)]
    [InlineData(RiverTier.Red, 494.0, RiverTier.Normal)]
    [InlineData(RiverTier.Blue, 495.5, RiverTier.Yellow)]    // rises are never delayed
    public void River_tiers_fall_only_past_the_hysteresis(RiverTier current, double level, RiverTier expected) =>
        Assert.Equal(expected, RiverTierRule.Classify(level, Gauge, 0.5, current, hysteresisM: 0.05));

    [Fact]
    public void River_tier_actions_follow_the_evacuation_ladder()
    {
        Assert.Equal("notify", RiverTierRule.ActionFor(RiverTier.Blue));
        Assert.Equal("prepare to transfer", RiverTierRule.ActionFor(RiverTier.Yellow));
        Assert.Equal("transfer now", RiverTierRule.ActionFor(RiverTier.Orange));
        Assert.Equal("transfer now", RiverTierRule.ActionFor(RiverTier.Red));
    }

    [Fact]
    public void Rate_of_rise_is_measured_from_the_window_start()
    {
        TimeSpan hour = TimeSpan.FromHours(1), minSpan = TimeSpan.FromMinutes(15);
        var rise = new RateOfRise();
        rise.Add(T0, 2.0, hour);
        rise.Add(T0.AddMinutes(30), 2.1, hour);
        rise.Add(T0.AddMinutes(60), 2.4, hour);

        // (2.4 - 2.0) m over exactly 1 h.
        Assert.Equal(0.4, rise.MetresPerHour(hour, minSpan)!.Value, 9);

        // The window now starts at +30 min: (2.5 - 2.1) m over 1 h; the sample at T0 is no longer needed.
        rise.Add(T0.AddMinutes(90), 2.5, hour);
        Assert.Equal(0.4, rise.MetresPerHour(hour, minSpan)!.Value, 9);
        Assert.Equal(3, rise.Samples.Count);
    }

    [Fact]
    public void Rate_of_rise_over_a_short_history_is_scaled_to_an_hour_once_it_spans_the_minimum()
    {
        TimeSpan hour = TimeSpan.FromHours(1), minSpan = TimeSpan.FromMinutes(15);
        var rise = new RateOfRise();
        rise.Add(T0, 2.0, hour);
        rise.Add(T0.AddMinutes(10), 2.2, hour);
        Assert.Null(rise.MetresPerHour(hour, minSpan));

        // 0.25 m in 20 min = 0.75 m/h.
        rise.Add(T0.AddMinutes(20), 2.25, hour);
        Assert.Equal(0.75, rise.MetresPerHour(hour, minSpan)!.Value, 9);
    }

    [Fact]
    public void Hazard_alarm_points_are_reached_at_the_threshold()
    {
        Assert.False(HazardRule.IsAlarm(19.9, HazardRule.AlarmPoint(SensorKind.Gas, 20)));
        Assert.True(HazardRule.IsAlarm(20, HazardRule.AlarmPoint(SensorKind.Gas, 20)));
        Assert.True(HazardRule.IsAlarm(1, HazardRule.AlarmPoint(SensorKind.SosButton, null)));
        Assert.False(HazardRule.IsAlarm(0, HazardRule.AlarmPoint(SensorKind.SosButton, null)));

        // Street sensors report measurements; their profile thresholds never raise home alarms.
        Assert.Null(HazardRule.AlarmPoint(SensorKind.Rain, 50));
    }

    [Fact]
    public void Welfare_is_due_only_in_elderly_homes_after_the_inactivity_time()
    {
        TimeSpan day = TimeSpan.FromHours(24);
        Assert.False(WelfareRule.IsDue(T0, T0.AddHours(23.9), day, elderly: 1));
        Assert.True(WelfareRule.IsDue(T0, T0.AddHours(24), day, elderly: 1));
        Assert.False(WelfareRule.IsDue(T0, T0.AddHours(48), day, elderly: 0));
        Assert.False(WelfareRule.IsDue(null, T0.AddHours(48), day, elderly: 2));
    }

    [Fact]
    public void Silence_is_judged_from_the_last_time_heard_and_never_for_a_sensor_never_heard()
    {
        TimeSpan limit = TimeSpan.FromHours(2);
        Assert.False(SensorHealthRule.IsSilent(T0, T0.AddHours(2), limit));
        Assert.True(SensorHealthRule.IsSilent(T0, T0.AddHours(2).AddSeconds(1), limit));
        Assert.False(SensorHealthRule.IsSilent(null, T0.AddDays(3), limit));
    }

    [Fact]
    public void Options_reject_settings_that_make_no_sense()
    {
        new TelemetryRuleOptions().Validate();
        Assert.Throws<InvalidOperationException>(() => new TelemetryRuleOptions { MonitorPeriod = TimeSpan.Zero }.Validate());
        Assert.Throws<InvalidOperationException>(() => new TelemetryRuleOptions { RateOfRiseMinSpan = TimeSpan.FromHours(2) }.Validate());
        Assert.Throws<InvalidOperationException>(() => new TelemetryRuleOptions { RateOfRiseMetresPerHour = double.NaN }.Validate());
    }
}
