using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>River gauges on a real silo: tiered warnings up and down, and the rate-of-rise rule in simulated time.</summary>
public sealed class GaugeGrainTests
{
    // Warning 495 m, guaranteed 496 m, historic maximum 497 m; blue from 494.5 m.
    [Fact]
    public async Task Warnings_go_out_when_the_tier_rises_and_a_clear_message_when_it_drops()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        await Level(twin, 493.0);
        Assert.Empty(twin.Alerts.Recent());
        Assert.Equal("normal", twin.Directory.Get("gauge-1")!.Status);

        await Level(twin, 494.6);
        await Level(twin, 495.2);
        await Level(twin, 495.1);
        await Level(twin, 496.3);
        await Level(twin, 497.2);

        Alert[] raised = twin.AlertsOf(AlertKinds.RiverTier);
        Assert.Equal(["blue", "yellow", "orange", "red"], raised.Select(a => a.Details!["tier"]));
        Assert.Equal(["notify", "prepare to transfer", "transfer now", "transfer now"], raised.Select(a => a.Details!["action"]));
        Assert.All(raised, a =>
        {
            Assert.Equal("warning", a.Channel);
            Assert.Equal(EntityType.Gauge, a.EntityType);
            Assert.Equal([TwinTestSilo.CommunityOfficer, TwinTestSilo.StreetOfficer], a.Recipients);
        });
        Assert.Equal(AlertSeverity.Critical, raised[^1].Severity);
        Assert.Equal("red", twin.Directory.Get("gauge-1")!.Status);
        Assert.Equal(497.2, twin.Directory.Get("gauge-1")!.Value);

        await Level(twin, 495.4);
        Alert lowered = Assert.Single(twin.AlertsOf(AlertKinds.RiverTierLowered));
        Assert.Equal("yellow", lowered.Details!["tier"]);
        Assert.Equal("red", lowered.Details!["previousTier"]);
        Assert.Equal("yellow", twin.Directory.Get("gauge-1")!.Status);

        await Level(twin, 493.0);
        Assert.Equal(2, twin.AlertsOf(AlertKinds.RiverTierLowered).Length);
        Assert.Equal("normal", twin.Directory.Get("gauge-1")!.Status);
        Assert.Equal(4, twin.AlertsOf(AlertKinds.RiverTier).Length);
    }

    [Fact]
    public async Task A_level_hovering_at_a_boundary_does_not_repeat_the_warning()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        foreach (double level in new[] { 495.01, 494.99, 495.02, 494.98, 495.0 })
        {
            await Level(twin, level);
        }

        Assert.Equal(["yellow"], twin.AlertsOf(AlertKinds.RiverTier).Select(a => a.Details!["tier"]));
        Assert.Empty(twin.AlertsOf(AlertKinds.RiverTierLowered));
    }

    [Fact]
    public async Task A_fast_rise_warns_once_and_rearms_when_the_river_steadies()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        // 0.05 m in 20 min, then 0.15 m in 40 min = 0.225 m/h: under the 0.3 m/h limit.
        await Level(twin, 492.0);
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(20));
        await Level(twin, 492.05);
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(20));
        await Level(twin, 492.15);
        Assert.Empty(twin.AlertsOf(AlertKinds.RateOfRise));

        // 0.5 m over the last hour.
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(20));
        await Level(twin, 492.5);
        Alert fast = Assert.Single(twin.AlertsOf(AlertKinds.RateOfRise));
        Assert.Equal("0.5", fast.Details!["riseMetresPerHour"]);
        Assert.Equal("warning", fast.Channel);

        // Still rising fast: no repeat. Then it steadies for an hour, and a new surge warns again.
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(20));
        await Level(twin, 492.7);
        Assert.Single(twin.AlertsOf(AlertKinds.RateOfRise));
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(70));
        await Level(twin, 492.7);
        // 0.6 m since the last reading at or before the window start (100 min ago) = 0.36 m/h.
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(30));
        await Level(twin, 493.3);
        Assert.Equal(2, twin.AlertsOf(AlertKinds.RateOfRise).Length);
    }

    [Fact]
    public async Task The_tier_survives_a_restart_so_it_is_not_announced_twice()
    {
        await using CityTwin.Silo.Storage.SiloStore store = CityTwin.Silo.Storage.SiloStore.CreateMemory();
        await using (TwinTestSilo first = await TwinTestSilo.StartAsync(store: store))
        {
            await Level(first, 495.5);
            Assert.Single(first.AlertsOf(AlertKinds.RiverTier));
        }

        await using TwinTestSilo second = await TwinTestSilo.StartAsync(store: store);
        Assert.Equal("yellow", second.Directory.Get("gauge-1")!.Status);
        await Level(second, 495.6);
        Assert.Empty(second.AlertsOf(AlertKinds.RiverTier));
    }

    private static Task Level(TwinTestSilo twin, double metres) => twin.Gauge("gauge-1").RecordAsync(new SensorReading(metres, "m", twin.Now));
}
