using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>Home and street sensors on a real silo: alarms, welfare checks, silence, batteries, the read model, persistence.</summary>
public sealed class SensorGrainTests
{
    [Fact]
    public async Task Gas_over_the_alarm_point_alerts_the_family_and_community_once_and_clears_below_it()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        await twin.RecordAsync("s1", 25);

        Alert alert = Assert.Single(twin.AlertsOf(AlertKinds.Gas));
        Assert.Equal("alert", alert.Channel);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal("s1", alert.EntityId);
        Assert.Equal("b1", alert.BuildingId);
        Assert.Equal("community-1", alert.CommunityId);
        Assert.Equal([TwinTestSilo.Daughter, TwinTestSilo.CommunityOfficer], alert.Recipients);
        Assert.Equal("alarm", twin.Directory.Get("s1")!.Status);
        Assert.Equal("alarm", twin.Directory.Get("b1")!.Status);

        // Still in alarm: no second alert however often it repeats.
        await twin.RecordAsync("s1", 30);
        await twin.RecordAsync("s1", 45);
        Assert.Single(twin.AlertsOf(AlertKinds.Gas));

        await twin.RecordAsync("s1", 5);
        Assert.Equal("normal", twin.Directory.Get("s1")!.Status);
        Assert.Equal("normal", twin.Directory.Get("b1")!.Status);
        Alert cleared = Assert.Single(twin.AlertsOf(AlertKinds.AlarmCleared));
        Assert.Equal(AlertSeverity.Info, cleared.Severity);

        // A new leak after the all-clear is a new alarm.
        await twin.RecordAsync("s1", 22);
        Assert.Equal(2, twin.AlertsOf(AlertKinds.Gas).Length);

        await twin.Silo.WaitForQuiescenceAsync();
        IReadOnlyDictionary<string, long> counts = await twin.Grains.GetGrain<IAreaGrain>("community-1").GetAlertCountsAsync();
        Assert.Equal(2, counts[AlertKinds.Gas]);
    }

    [Fact]
    public async Task Readings_just_below_the_alarm_point_raise_nothing()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        await twin.RecordAsync("s1", 19.9);
        await twin.RecordAsync("s3", 99);
        await twin.RecordAsync("s4", 0);

        Assert.Empty(twin.Alerts.Recent());
        Assert.Equal("normal", twin.Directory.Get("b1")!.Status);
    }

    [Fact]
    public async Task A_pressed_SOS_button_alerts_at_once_and_its_release_is_no_all_clear()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        await twin.RecordAsync("s4", 1);
        Alert sos = Assert.Single(twin.AlertsOf(AlertKinds.Sos));
        Assert.Equal(AlertSeverity.Critical, sos.Severity);
        Assert.Equal([TwinTestSilo.Daughter, TwinTestSilo.CommunityOfficer], sos.Recipients);

        await twin.RecordAsync("s4", 0);
        Assert.Empty(twin.AlertsOf(AlertKinds.AlarmCleared));
        await twin.RecordAsync("s4", 1);
        Assert.Equal(2, twin.AlertsOf(AlertKinds.Sos).Length);
    }

    [Fact]
    public async Task Carbon_monoxide_and_smoke_alarm_on_their_own_thresholds()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();

        await twin.RecordAsync("s3", 150);
        await twin.RecordAsync("s2", 3.9);

        Alert co = Assert.Single(twin.AlertsOf(AlertKinds.CarbonMonoxide));
        Assert.Contains("150 ppm", co.Message);
        Assert.Empty(twin.AlertsOf(AlertKinds.Smoke));

        await twin.RecordAsync("s2", 4);
        Assert.Single(twin.AlertsOf(AlertKinds.Smoke));

        // The building stays in alarm until every one of its sensors is clear.
        await twin.RecordAsync("s3", 10);
        Assert.Equal("alarm", twin.Directory.Get("b1")!.Status);
        await twin.RecordAsync("s2", 0);
        Assert.Equal("normal", twin.Directory.Get("b1")!.Status);
    }

    [Fact]
    public async Task No_water_for_a_day_in_an_elderly_home_raises_a_welfare_check_but_not_in_a_family_home()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        await twin.Grains.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();
        await twin.RecordAsync("s5", 0);
        await twin.RecordAsync("s6", 0);

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(23.5));
        Assert.Empty(twin.AlertsOf(AlertKinds.Welfare));

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(1));
        Alert welfare = Assert.Single(twin.AlertsOf(AlertKinds.Welfare));
        Assert.Equal("s5", welfare.EntityId);
        Assert.Equal(AlertSeverity.Warning, welfare.Severity);
        Assert.Equal([TwinTestSilo.Daughter, TwinTestSilo.GridWorker], welfare.Recipients);

        // Raised once per stretch without use, not on every scan.
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(6));
        Assert.Single(twin.AlertsOf(AlertKinds.Welfare));
    }

    [Fact]
    public async Task Water_use_restarts_the_welfare_clock()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        await twin.Grains.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();
        await twin.RecordAsync("s5", 0);

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(20));
        await twin.RecordAsync("s5", 12);
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(20));
        Assert.Empty(twin.AlertsOf(AlertKinds.Welfare));

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(4.5));
        Assert.Single(twin.AlertsOf(AlertKinds.Welfare));
    }

    [Fact]
    public async Task A_sensor_silent_longer_than_the_limit_goes_offline_and_comes_back_with_its_next_reading()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        await twin.Grains.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();
        await twin.RecordAsync("s7", 3.2);

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(115));
        Assert.Equal("normal", twin.Directory.Get("s7")!.Status);

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(15));
        Assert.Equal("offline", twin.Directory.Get("s7")!.Status);
        Alert offline = Assert.Single(twin.AlertsOf(AlertKinds.Offline));
        Assert.Equal("s7", offline.EntityId);
        Assert.Equal(AlertSeverity.Info, offline.Severity);
        Assert.Equal([TwinTestSilo.GridWorker], offline.Recipients);

        // A sensor that never reported is not judged, so a freshly loaded twin does not flood alerts.
        Assert.Equal("normal", twin.Directory.Get("s2")!.Status);

        await twin.RecordAsync("s7", 0);
        Assert.Equal("normal", twin.Directory.Get("s7")!.Status);
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromHours(1));
        Assert.Single(twin.AlertsOf(AlertKinds.Offline));
    }

    [Fact]
    public async Task Offline_limits_come_from_the_registered_options()
    {
        var options = new TelemetryRuleOptions { StreetSensorOfflineAfter = TimeSpan.FromMinutes(30), MonitorPeriod = TimeSpan.FromMinutes(1) };
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync(options);
        await twin.Grains.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).StartAsync();
        await twin.RecordAsync("s7", 3.2);
        await twin.RecordAsync("s1", 0);

        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(32));

        Assert.Equal("offline", twin.Directory.Get("s7")!.Status);
        Assert.Equal("normal", twin.Directory.Get("s1")!.Status);
        MonitorScanResult? last = await twin.Grains.GetGrain<ITwinMonitorGrain>(ITwinMonitorGrain.Key).GetLastScanAsync();
        Assert.Equal(7, last!.Scanned);
    }

    [Fact]
    public async Task A_low_battery_report_alerts_once_and_does_not_count_as_a_measurement()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        await twin.RecordAsync("s1", 0.5);

        await twin.RecordAsync("s1", 15, "battery%");
        await twin.RecordAsync("s1", 12, "battery%");

        Alert low = Assert.Single(twin.AlertsOf(AlertKinds.LowBattery));
        Assert.Equal([TwinTestSilo.Daughter, TwinTestSilo.GridWorker], low.Recipients);
        EntitySummary s1 = twin.Directory.Get("s1")!;
        Assert.Equal("lowBattery", s1.Status);
        Assert.Equal(0.5, s1.Value);
        Assert.Equal(12.0, s1.Properties!["batteryPercent"]);

        await twin.RecordAsync("s1", 95, "battery%");
        Assert.Equal("normal", twin.Directory.Get("s1")!.Status);
        SensorState state = (await twin.Sensor("s1").GetDetailsAsync())!.ReadState<SensorState>();
        Assert.Equal(1, state.Statistics.Count);
    }

    [Fact]
    public async Task A_reading_is_in_the_read_model_when_RecordAsync_returns()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        await twin.Silo.AdvanceTimeAsync(TimeSpan.FromMinutes(3));

        await twin.RecordAsync("s7", 12.5);

        EntitySummary s7 = twin.Directory.Get("s7")!;
        Assert.Equal(12.5, s7.Value);
        Assert.Equal("mm/h", s7.Unit);
        Assert.Equal(twin.Now, s7.UpdatedAt);
    }

    [Fact]
    public async Task Sensor_state_and_statistics_survive_a_restart_and_reloading_keeps_them()
    {
        await using CityTwin.Silo.Storage.SiloStore store = CityTwin.Silo.Storage.SiloStore.CreateMemory();
        await using (TwinTestSilo first = await TwinTestSilo.StartAsync(store: store))
        {
            await first.RecordAsync("s7", 10);
            await first.RecordAsync("s7", 20);
            await first.RecordAsync("s7", 36);
            await first.RecordAsync("s1", 25);
        }

        await using TwinTestSilo second = await TwinTestSilo.StartAsync(store: store);
        SensorState state = (await second.Sensor("s7").GetDetailsAsync())!.ReadState<SensorState>();
        Assert.Equal(3, state.Statistics.Count);
        Assert.Equal(22, state.Statistics.Mean, 9);
        Assert.Equal(10, state.Statistics.Min);
        Assert.Equal(36, state.Statistics.Max);
        Assert.Equal(36, second.Directory.Get("s7")!.Value);

        // Still in alarm after the restart: a repeat reading does not alert again.
        Assert.Equal("alarm", second.Directory.Get("b1")!.Status);
        await second.RecordAsync("s1", 30);
        Assert.Empty(second.AlertsOf(AlertKinds.Gas));
    }

    [Fact]
    public async Task An_uninitialised_sensor_has_no_details()
    {
        await using TwinTestSilo twin = await TwinTestSilo.StartAsync();
        Assert.Null(await twin.Sensor("s999").GetDetailsAsync());
    }
}
