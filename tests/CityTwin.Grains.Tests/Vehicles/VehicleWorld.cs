using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace CityTwin.Grains.Tests.Vehicles;

/// <summary>
/// A started twin silo (memory store) with a small muck-truck world laid out in metres east/north of central Chengdu:
/// a 100 m x 100 m construction site at (0, 0), a 30 m checkpoint circle at (1000, 0) and a 100 m x 100 m disposal
/// point at (2000, 0).
/// </summary>
internal sealed class VehicleWorld : IAsyncDisposable
{
    public const string SiteId = "site-1", CheckpointId = "checkpoint-1", DisposalId = "disposal-1";

    public static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly GeoPoint Origin = new(104.0657, 30.6595);

    private VehicleWorld(TwinSilo silo, UtmProjection projection)
    {
        Silo = silo;
        Projection = projection;
    }

    public TwinSilo Silo { get; }

    public UtmProjection Projection { get; }

    public TwinDirectory Directory => Silo.Directory;

    public AlertBus Alerts => Silo.Alerts;

    public GeofenceRegistry Geofences => Silo.Geofences;

    public static UtmProjection DistrictProjection => UtmProjection.ForCentre(Origin);

    /// <summary>The world's geofences (their positions depend only on the projection).</summary>
    public static GeofenceDefinition[] Fences(UtmProjection p) =>
    [
        new(SiteId, GeofenceKind.ConstructionSite, "Tianfu Square site", At(p, 0, 0), Rect(p, 0, 0, 50), 0),
        new(CheckpointId, GeofenceKind.Checkpoint, "Renmin Road checkpoint", At(p, 1000, 0), null, 30),
        new(DisposalId, GeofenceKind.DisposalPoint, "East disposal", At(p, 2000, 0), Rect(p, 2000, 0, 50), 0),
    ];

    /// <summary>
    /// Starts a silo on a virtual clock reading <see cref="T0"/> (on <paramref name="store"/> when given, so a test can
    /// restart on the same data); <paramref name="loadGeofences"/> false leaves the registry empty.
    /// </summary>
    public static async Task<VehicleWorld> StartAsync(MuckTruckOptions? options = null, SiloStore? store = null, bool loadGeofences = true)
    {
        TwinSilo silo = await TwinSilos.StartAsync(TwinSilos.Clock(T0), store, options is null ? null : s => s.AddSingleton(options));
        UtmProjection projection = DistrictProjection;
        var world = new VehicleWorld(silo, projection);
        world.Directory.Initialize(projection);
        if (loadGeofences)
        {
            world.Geofences.Load(Fences(projection), projection);
        }

        return world;
    }

    /// <summary>The point <paramref name="east"/> and <paramref name="north"/> metres from the origin.</summary>
    public GeoPoint At(double east, double north) => At(Projection, east, north);

    /// <summary>Initialises a vehicle at (-500, 0) and returns its grain.</summary>
    public async Task<IVehicleGrain> VehicleAsync(string id, VehicleKind kind = VehicleKind.MuckTruck)
    {
        IVehicleGrain grain = Silo.GrainFactory.GetGrain<IVehicleGrain>(id);
        await grain.InitializeAsync(new VehicleDefinition(id, kind, $"川A·{id}", At(-500, 0), "depot-1", kind == VehicleKind.MuckTruck ? SiteId : null));
        return grain;
    }

    /// <summary>A fix <paramref name="minute"/> minutes after <see cref="T0"/> at (east, north).</summary>
    public VehiclePosition Fix(int minute, double east, double north, bool? covered = true, double? loadTonnes = 20) =>
        new(At(east, north), T0.AddMinutes(minute), 30, covered, loadTonnes);

    /// <summary>Alerts about <paramref name="vehicleId"/>, oldest first.</summary>
    public Alert[] AlertsFor(string vehicleId) => Alerts.Recent(a => a.EntityId == vehicleId, 10_000).Reverse().ToArray();

    public async ValueTask DisposeAsync() => await Silo.DisposeAsync();

    private static GeoPoint At(UtmProjection p, double east, double north)
    {
        ProjectedPoint o = p.Forward(Origin);
        return p.Inverse(new ProjectedPoint(o.X + east, o.Y + north));
    }

    private static GeoPoint[] Rect(UtmProjection p, double east, double north, double half) =>
    [
        At(p, east - half, north - half), At(p, east + half, north - half), At(p, east + half, north + half), At(p, east - half, north + half),
    ];
}
