using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Tests.Vehicles;

/// <summary>The per-silo geofence registry: containment in metres and the geofences' entries in the read model.</summary>
public sealed class GeofenceRegistryTests
{
    [Fact]
    public async Task A_circle_holds_points_within_its_radius_in_metres()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();

        Assert.Equal([VehicleWorld.CheckpointId], world.Geofences.Containing(world.At(1000, 29)).Select(f => f.Id));
        Assert.Equal([VehicleWorld.CheckpointId], world.Geofences.Containing(world.At(1021, -21)).Select(f => f.Id));
        Assert.Empty(world.Geofences.Containing(world.At(1000, 31)));
        Assert.Empty(world.Geofences.Containing(world.At(1022, 22)));
    }

    [Fact]
    public async Task A_polygon_holds_its_inside_and_boundary_but_not_its_surroundings()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();

        Assert.Equal([VehicleWorld.SiteId], world.Geofences.Containing(world.At(49, -49)).Select(f => f.Id));
        Assert.Equal([VehicleWorld.DisposalId], world.Geofences.Containing(world.At(2000, 0)).Select(f => f.Id));
        Assert.Empty(world.Geofences.Containing(world.At(51, 0)));
        Assert.Empty(world.Geofences.Containing(world.At(0, -51)));
    }

    [Fact]
    public async Task Loading_puts_every_geofence_with_its_shape_into_the_read_model()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();

        EntitySummary[] fences = world.Directory.OfType(EntityType.Geofence).OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        Assert.Equal([VehicleWorld.CheckpointId, VehicleWorld.DisposalId, VehicleWorld.SiteId], fences.Select(f => f.Id));
        EntitySummary site = fences.Single(f => f.Id == VehicleWorld.SiteId);
        Assert.Equal(nameof(GeofenceKind.ConstructionSite), site.Kind);
        Assert.Equal(VehicleWorld.Fences(world.Projection)[0].Boundary, site.Shape);

        // A circle is drawn as a polygon whose corners lie on the circle.
        EntitySummary checkpoint = fences.Single(f => f.Id == VehicleWorld.CheckpointId);
        Assert.True(checkpoint.Shape!.Length >= 16);
        Assert.All(checkpoint.Shape, c => Assert.InRange(world.Projection.DistanceMetres(checkpoint.Position, c), 29.9, 30.1));
        Assert.Contains(world.Directory.Near(EntityType.Geofence, world.At(1000, 0), 1), h => h.Key == VehicleWorld.CheckpointId);
    }

    [Fact]
    public async Task Invalid_geofences_are_refused_and_leave_the_loaded_set_alone()
    {
        await using VehicleWorld world = await VehicleWorld.StartAsync();
        GeoPoint c = world.At(0, 0);

        Assert.Throws<ArgumentException>(() => world.Geofences.Load([new GeofenceDefinition("x", GeofenceKind.Checkpoint, "x", c, null, 0)], world.Projection));
        Assert.Throws<ArgumentException>(() => world.Geofences.Load([new GeofenceDefinition("x", GeofenceKind.ConstructionSite, "x", c, [c, c, world.At(5, 5)], 0)], world.Projection));
        Assert.Throws<ArgumentException>(() => world.Geofences.Load(
            [new GeofenceDefinition("x", GeofenceKind.Checkpoint, "x", c, null, 5), new GeofenceDefinition("x", GeofenceKind.Checkpoint, "y", c, null, 5)], world.Projection));

        Assert.Equal(3, world.Geofences.Count);
        Assert.Equal([VehicleWorld.SiteId], world.Geofences.Containing(c).Select(f => f.Id));
    }
}
