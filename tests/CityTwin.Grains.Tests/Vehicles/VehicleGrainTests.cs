using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo.Storage;

namespace CityTwin.Grains.Tests.Vehicles;

/// <summary>Vehicle grains on a real silo: trajectories, geofence events, muck-truck violations and the read model.</summary>
public sealed class VehicleGrainTests
{
    [Fact]
    public async Task The_trajectory_keeps_only_the_newest_positions_and_survives_a_restart()
    {
        await using SiloStore store = SiloStore.CreateMemory();
        var options = new MuckTruckOptions { TrajectoryCapacity = 5 };
        await using (VehicleWorld world = await VehicleWorld.StartAsync(options, store))
        {
            IVehicleGrain truck = await world.VehicleAsync("t1", VehicleKind.PatrolCar);
            for (int i = 0; i < 12; i++)
            {
                await truck.RecordPositionAsync(world.Fix(i, 10 * i, 0));
            }

            VehiclePosition[] kept = (await truck.GetTrajectoryAsync(1000))!;
            Assert.Equal(Enumerable.Range(7, 5).Select(m => VehicleWorld.T0.AddMinutes(m)), kept.Select(p => p.At));
            Assert.Equal([VehicleWorld.T0.AddMinutes(10), VehicleWorld.T0.AddMinutes(11)], (await truck.GetTrajectoryAsync(2))!.Select(p => p.At));
        }

        // The state is written at shutdown; a new silo on the same store continues the same ring in order.
        await using (VehicleWorld world = await VehicleWorld.StartAsync(options, store))
        {
            IVehicleGrain truck = world.Silo.GrainFactory.GetGrain<IVehicleGrain>("t1");
            await truck.RecordPositionAsync(world.Fix(12, 120, 0));
            await truck.RecordPositionAsync(world.Fix(13, 130, 0));
            VehiclePosition[] kept = (await truck.GetTrajectoryAsync(1000))!;
            Assert.Equal(Enumerable.Range(9, 5).Select(m => VehicleWorld.T0.AddMinutes(m)), kept.Select(p => p.At));
        }

        // A smaller capacity configured later trims the stored ring to the newest fixes.
        await using (VehicleWorld world = await VehicleWorld.StartAsync(new MuckTruckOptions { TrajectoryCapacity = 3 }, store))
        {
            VehiclePosition[] kept = (await world.Silo.GrainFactory.GetGrain<IVehicleGrain>("t1").GetTrajectoryAsync(1000))!;
            Assert.Equal(Enumerable.Range(11, 3).Select(m => VehicleWorld.T0.AddMinutes(m)), kept.Select(p => p.At));
        }
    }

    [Fact]
    public async Task Geofence_enter_and_exit_events_come_with_the_fix_that_crossed()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m1");
        var expected = new List<(string Kind, string Fence, int Minute)>();

        await Drive(0, -200, 0);
        await Drive(1, 0, 0, (MuckTruckRules.GeofenceEnterKind, VehicleWorld.SiteId));
        await Drive(2, 20, 20);
        await Drive(3, 200, 0, (MuckTruckRules.GeofenceExitKind, VehicleWorld.SiteId));
        await Drive(4, 990, 0, (MuckTruckRules.GeofenceEnterKind, VehicleWorld.CheckpointId));
        await Drive(5, 1010, 10);
        await Drive(6, 1500, 0, (MuckTruckRules.GeofenceExitKind, VehicleWorld.CheckpointId));
        await Drive(7, 2000, 0, (MuckTruckRules.GeofenceEnterKind, VehicleWorld.DisposalId));

        Alert[] alerts = world.AlertsFor("m1");
        Assert.All(alerts, a => Assert.Equal(AlertSeverity.Info, a.Severity));
        Assert.All(alerts, a => Assert.Equal("alert", a.Channel));
        Assert.DoesNotContain(alerts, a => a.Kind == MuckTruckRules.ViolationKind);

        async Task Drive(int minute, double east, double north, params (string Kind, string Fence)[] events)
        {
            expected.AddRange(events.Select(e => (e.Kind, e.Fence, minute)));
            await truck.RecordPositionAsync(world.Fix(minute, east, north));

            // Checked after every fix: an event must appear with the crossing fix, not later.
            Alert[] now = world.AlertsFor("m1");
            Assert.Equal(expected, now.Select(a => (a.Kind, a.Details!["geofenceId"], (int)(a.At - VehicleWorld.T0).TotalMinutes)));
        }
    }

    [Fact]
    public async Task An_uncovered_truck_at_a_checkpoint_raises_one_violation_with_the_trip_from_the_site()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m2");

        // From the depot into the site (not part of the trip), loading, then out and on to the checkpoint uncovered.
        await truck.RecordPositionAsync(world.Fix(0, -300, 0));
        await truck.RecordPositionAsync(world.Fix(1, -10, 0));
        await truck.RecordPositionAsync(world.Fix(2, 30, 10));
        await truck.RecordPositionAsync(world.Fix(3, 300, 0, covered: false));
        await truck.RecordPositionAsync(world.Fix(4, 700, 0, covered: false));
        await truck.RecordPositionAsync(world.Fix(5, 1000, 5, covered: false));
        await truck.RecordPositionAsync(world.Fix(6, 1010, 0, covered: false));

        Alert violation = Assert.Single(world.AlertsFor("m2"), a => a.Kind == MuckTruckRules.ViolationKind);
        Assert.Equal(AlertSeverity.Warning, violation.Severity);
        Assert.Equal(VehicleWorld.T0.AddMinutes(5), violation.At);
        IReadOnlyDictionary<string, string> details = violation.Details!;
        Assert.Equal(VehicleWorld.SiteId, details["siteId"]);
        Assert.Equal(VehicleWorld.CheckpointId, details["checkpointId"]);
        Assert.Equal(MuckTruckRules.Uncovered, details["violations"]);
        Assert.Equal("site-exit", details["trajectoryFrom"]);

        // The trip starts with the last fix inside the site and ends at the checkpoint.
        using JsonDocument line = JsonDocument.Parse(details["trajectory"]);
        Assert.Equal("LineString", line.RootElement.GetProperty("type").GetString());
        GeoPoint[] coordinates = line.RootElement.GetProperty("coordinates").EnumerateArray()
            .Select(c => new GeoPoint(c[0].GetDouble(), c[1].GetDouble())).ToArray();
        GeoPoint[] expected = [world.At(30, 10), world.At(300, 0), world.At(700, 0), world.At(1000, 5)];
        Assert.Equal(expected.Length, coordinates.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(world.Projection.DistanceMetres(expected[i], coordinates[i]) < 0.01, $"point {i} is off the reported fix");
        }

        string[] times = JsonSerializer.Deserialize<string[]>(details["trajectoryTimes"])!;
        Assert.Equal([2, 3, 4, 5], times.Select(t => (int)(DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture) - VehicleWorld.T0).TotalMinutes));
        Assert.Equal(VehicleWorld.T0.AddMinutes(2), DateTimeOffset.Parse(details["leftSiteAt"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_second_visit_to_the_checkpoint_is_a_new_violation()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m3");
        await truck.RecordPositionAsync(world.Fix(0, 0, 0));
        await truck.RecordPositionAsync(world.Fix(1, 1000, 0, covered: false));
        await truck.RecordPositionAsync(world.Fix(2, 1500, 0, covered: false));
        await truck.RecordPositionAsync(world.Fix(3, 1000, 0, covered: false));

        Assert.Equal(2, world.AlertsFor("m3").Count(a => a.Kind == MuckTruckRules.ViolationKind));
    }

    [Fact]
    public async Task A_covered_truck_within_the_load_limit_passes_the_checkpoint_without_a_violation()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m4");
        await truck.RecordPositionAsync(world.Fix(0, 0, 0));
        await truck.RecordPositionAsync(world.Fix(1, 500, 0, covered: true, loadTonnes: 30));
        await truck.RecordPositionAsync(world.Fix(2, 1000, 0, covered: true, loadTonnes: 30));

        Alert[] alerts = world.AlertsFor("m4");
        Assert.Contains(alerts, a => a.Kind == MuckTruckRules.GeofenceEnterKind && a.Details!["geofenceId"] == VehicleWorld.CheckpointId);
        Assert.DoesNotContain(alerts, a => a.Kind == MuckTruckRules.ViolationKind);
    }

    [Fact]
    public async Task An_overloaded_truck_at_a_checkpoint_raises_a_violation()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m5");
        await truck.RecordPositionAsync(world.Fix(0, 0, 0));
        await truck.RecordPositionAsync(world.Fix(1, 1000, 0, covered: true, loadTonnes: 34.5));

        Alert violation = Assert.Single(world.AlertsFor("m5"), a => a.Kind == MuckTruckRules.ViolationKind);
        Assert.Equal(MuckTruckRules.Overloaded, violation.Details!["violations"]);
        Assert.Equal("34.5", violation.Details["loadTonnes"]);
    }

    [Fact]
    public async Task The_load_limit_is_configurable()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync(new MuckTruckOptions { MaxLoadTonnes = 40 });
        IVehicleGrain truck = await world.VehicleAsync("m6");
        await truck.RecordPositionAsync(world.Fix(0, 0, 0));
        await truck.RecordPositionAsync(world.Fix(1, 1000, 0, covered: true, loadTonnes: 34.5));

        Assert.DoesNotContain(world.AlertsFor("m6"), a => a.Kind == MuckTruckRules.ViolationKind);
    }

    [Fact]
    public async Task An_empty_truck_may_pass_uncovered()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m7");
        await truck.RecordPositionAsync(world.Fix(0, 2000, 0, covered: false, loadTonnes: 0));
        await truck.RecordPositionAsync(world.Fix(1, 1000, 0, covered: false, loadTonnes: 0));

        Assert.DoesNotContain(world.AlertsFor("m7"), a => a.Kind == MuckTruckRules.ViolationKind);
    }

    [Fact]
    public async Task A_truck_never_seen_leaving_a_site_is_reported_against_its_assigned_site_with_what_is_kept()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain truck = await world.VehicleAsync("m8");
        await truck.RecordPositionAsync(world.Fix(0, 600, 0, covered: false));
        await truck.RecordPositionAsync(world.Fix(1, 1000, 0, covered: false));

        Alert violation = Assert.Single(world.AlertsFor("m8"), a => a.Kind == MuckTruckRules.ViolationKind);
        Assert.Equal(VehicleWorld.SiteId, violation.Details!["siteId"]);
        Assert.Equal("oldest-kept", violation.Details["trajectoryFrom"]);
        Assert.Equal("2", violation.Details["trajectoryPoints"]);
    }

    [Fact]
    public async Task The_read_model_shows_the_new_position_as_soon_as_the_call_returns()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain car = await world.VehicleAsync("p1", VehicleKind.PatrolCar);
        GeoPoint before = world.At(-500, 0);
        Assert.Contains(world.Directory.Near(EntityType.Vehicle, before, 20), h => h.Key == "p1");

        await car.RecordPositionAsync(world.Fix(0, 1500, 800));

        Assert.Contains(world.Directory.Near(EntityType.Vehicle, world.At(1500, 800), 20), h => h.Key == "p1");
        Assert.DoesNotContain(world.Directory.Near(EntityType.Vehicle, before, 20), h => h.Key == "p1");
        EntitySummary summary = world.Directory.Get(EntityType.Vehicle, "p1")!;
        Assert.Equal(VehicleWorld.T0, summary.UpdatedAt);
        Assert.Equal(30.0, summary.Properties!["speedKmh"]);
    }

    [Fact]
    public async Task A_late_fix_does_not_move_the_vehicle_back()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain car = await world.VehicleAsync("p2", VehicleKind.PatrolCar);
        await car.RecordPositionAsync(world.Fix(5, 1000, 1000));
        await car.RecordPositionAsync(world.Fix(4, 0, 0));

        Assert.Contains(world.Directory.Near(EntityType.Vehicle, world.At(1000, 1000), 5), h => h.Key == "p2");
        Assert.Single((await car.GetTrajectoryAsync(100))!);
    }

    [Fact]
    public async Task A_position_outside_lon_lat_ranges_is_rejected_and_changes_nothing()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain car = await world.VehicleAsync("p3", VehicleKind.PatrolCar);

        await Assert.ThrowsAsync<ArgumentException>(() => car.RecordPositionsAsync(
            [world.Fix(0, 100, 0), new VehiclePosition(new GeoPoint(double.NaN, 30), VehicleWorld.T0.AddMinutes(1), null, null, null)]));

        Assert.Empty((await car.GetTrajectoryAsync(100))!);
        Assert.Contains(world.Directory.Near(EntityType.Vehicle, world.At(-500, 0), 5), h => h.Key == "p3");
    }

    [Fact]
    public async Task Dispatch_sets_the_status_and_case_and_clearing_makes_the_vehicle_available()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain car = await world.VehicleAsync("p4", VehicleKind.Ambulance);
        Assert.Equal("available", world.Directory.Get("p4")!.Status);

        await car.SetDispatchAsync("case-9", "dispatched");
        EntitySummary dispatched = world.Directory.Get("p4")!;
        Assert.Equal("dispatched", dispatched.Status);
        Assert.Equal("case-9", dispatched.Properties!["caseId"]);

        await car.SetDispatchAsync(null, "");
        EntitySummary available = world.Directory.Get("p4")!;
        Assert.Equal("available", available.Status);
        Assert.False(available.Properties!.ContainsKey("caseId"));
    }

    [Fact]
    public async Task Two_cases_claiming_one_vehicle_at_the_same_instant_get_it_once_and_a_forced_claim_takes_it()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain engine = await world.VehicleAsync("f1", VehicleKind.FireEngine);

        bool[] claimed = await Task.WhenAll(engine.ClaimAsync("case-a", force: false), engine.ClaimAsync("case-b", force: false));

        Assert.Equal(1, claimed.Count(c => c));
        string winner = claimed[0] ? "case-a" : "case-b";
        Assert.Equal(winner, world.Directory.Get("f1")!.Properties!["caseId"]);
        Assert.True(await engine.ClaimAsync(winner, force: false)); // the same case again is not refused

        Assert.True(await engine.ClaimAsync("case-c", force: true));
        Assert.Equal(("dispatched", (object)"case-c"), (world.Directory.Get("f1")!.Status, world.Directory.Get("f1")!.Properties!["caseId"]));
    }

    [Fact]
    public async Task A_restarted_twin_rebuilds_the_vehicle_from_storage_at_its_last_position()
    {
        await using SiloStore store = SiloStore.CreateMemory();
        await using (VehicleWorld world = await VehicleWorld.StartAsync(store: store))
        {
            IVehicleGrain truck = await world.VehicleAsync("m9");
            await truck.RecordPositionAsync(world.Fix(0, 0, 0));
            await truck.RecordPositionAsync(world.Fix(1, 1000, 0, covered: false));
            await truck.SetDispatchAsync("case-1", "dispatched");
            await truck.RecordPositionAsync(world.Fix(2, 1800, 300));
        }

        await using (VehicleWorld world = await VehicleWorld.StartAsync(store: store, loadGeofences: false))
        {
            UtmProjection p = world.Projection;
            var meta = new DistrictMeta { Name = "test", UtmZone = p.Zone, UtmNorth = p.IsNorth };
            await TwinRestorer.RestoreAsync(world.Silo.Services, store.States, meta);

            EntitySummary restored = world.Directory.Get(EntityType.Vehicle, "m9")!;
            Assert.True(p.DistanceMetres(world.At(1800, 300), restored.Position) < 0.01);
            Assert.Equal("dispatched", restored.Status);
            Assert.Equal(3, (await world.Silo.GrainFactory.GetGrain<IVehicleGrain>("m9").GetTrajectoryAsync(10))!.Length);
        }
    }

    [Fact]
    public async Task A_muck_truck_on_a_restored_twin_uses_the_geofences_of_the_district_meta_data()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync(loadGeofences: false);
        UtmProjection p = world.Projection;
        await world.Silo.GrainFactory.GetGrain<ITwinMetaGrain>("current").SetAsync(
            new DistrictMeta { Name = "test", UtmZone = p.Zone, UtmNorth = p.IsNorth, Geofences = VehicleWorld.Fences(p) });
        IVehicleGrain truck = await world.VehicleAsync("m10");

        await truck.RecordPositionAsync(world.Fix(0, 1000, 0, covered: false));

        Assert.True(world.Geofences.IsLoaded);
        Assert.Contains(world.AlertsFor("m10"), a => a.Kind == MuckTruckRules.ViolationKind);
    }

    [Fact]
    public async Task Only_muck_trucks_raise_geofence_events()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        IVehicleGrain car = await world.VehicleAsync("p5", VehicleKind.PatrolCar);
        await car.RecordPositionAsync(world.Fix(0, 0, 0, covered: false));
        await car.RecordPositionAsync(world.Fix(1, 1000, 0, covered: false));

        Assert.Empty(world.AlertsFor("p5"));
    }
}
