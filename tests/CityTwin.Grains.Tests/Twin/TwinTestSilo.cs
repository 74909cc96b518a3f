using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace CityTwin.Grains.Tests.Twin;

/// <summary>
/// A started silo with the twin's grains on a virtual clock and a tiny hand-made district: one street, community and
/// grid with staff; an elderly home (b1) and a family home (b2) with home sensors; a street rain sensor; a river gauge.
/// </summary>
internal sealed class TwinTestSilo : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly Contact Daughter = new("Li Na", "family", "13800000001");
    public static readonly Contact Son = new("Wang Lei", "family", "13800000002");
    public static readonly Contact CommunityOfficer = new("Zhang Wei", "community officer", "028-1001");
    public static readonly Contact GridWorker = new("Chen Jie", "grid worker", "028-2001");
    public static readonly Contact StreetOfficer = new("Liu Yang", "street officer", "028-3001");

    private static readonly GeoPoint Centre = new(104.0657, 30.6595);

    private TwinTestSilo(TwinSilo silo, VirtualTimeProvider clock)
    {
        Silo = silo;
        Clock = clock;
    }

    public TwinSilo Silo { get; }

    public VirtualTimeProvider Clock { get; }

    public TwinDirectory Directory => Silo.Directory;

    public AlertBus Alerts => Silo.Alerts;

    public IGrainFactory Grains => Silo.GrainFactory;

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Starts a silo (on <paramref name="store"/> when given, so a test can restart on the same data) and loads the district.</summary>
    public static async Task<TwinTestSilo> StartAsync(TelemetryRuleOptions? options = null, SiloStore? store = null, DateTimeOffset? start = null)
    {
        VirtualTimeProvider clock = TwinSilos.Clock(start ?? Start);
        TwinSilo silo = await TwinSilos.StartAsync(clock, store, options is null ? null : s => s.AddSingleton(options));
        var twin = new TwinTestSilo(silo, clock);
        twin.Directory.Initialize(new UtmProjection(48, true));
        await twin.LoadAsync();
        return twin;
    }

    public ISensorGrain Sensor(string id) => Grains.GetGrain<ISensorGrain>(id);

    public IGaugeGrain Gauge(string id) => Grains.GetGrain<IGaugeGrain>(id);

    /// <summary>Alerts published so far of one kind, oldest first.</summary>
    public Alert[] AlertsOf(string kind) => Alerts.Recent(a => a.Kind == kind, 10_000).Reverse().ToArray();

    public Task RecordAsync(string sensorId, double value, string? unit = null) => Sensor(sensorId).RecordAsync(new SensorReading(value, unit, Now));

    public async ValueTask DisposeAsync() => await Silo.DisposeAsync();

    private async Task LoadAsync()
    {
        GeoPoint[] square = [new(104.06, 30.65), new(104.07, 30.65), new(104.07, 30.67), new(104.06, 30.67), new(104.06, 30.65)];
        await Area("district", AreaKind.District, null, []);
        await Area("street-1", AreaKind.Street, "district", [StreetOfficer]);
        await Area("community-1", AreaKind.Community, "street-1", [CommunityOfficer]);
        await Area("grid-1", AreaKind.Grid, "community-1", [GridWorker]);

        await Building("b1", elderly: 1, [Daughter], ["s1", "s2", "s3", "s4", "s5"]);
        await Building("b2", elderly: 0, [Son], ["s6"]);

        await HomeSensor("s1", SensorKind.Gas, "b1", "%LEL", 20);
        await HomeSensor("s2", SensorKind.Smoke, "b1", "%obs/m", 4);
        await HomeSensor("s3", SensorKind.CarbonMonoxide, "b1", "ppm", 100);
        await HomeSensor("s4", SensorKind.SosButton, "b1", "press", 1);
        await HomeSensor("s5", SensorKind.WaterMeter, "b1", "L/h", null);
        await HomeSensor("s6", SensorKind.WaterMeter, "b2", "L/h", null);
        await Sensor("s7").InitializeAsync(new SensorDefinition("s7", SensorKind.Rain, null, 0, Centre, "grid-1", "community-1", "street-1", "cell-0-0", "mm/h", 50));

        await Gauge("gauge-1").InitializeAsync(new GaugeDefinition(
            "gauge-1", "Jin River at Anshun Bridge", Centre, "cell-0-0", "grid-1", "community-1", "street-1",
            BedElevationM: 490, NormalLevelM: 492, WarningLevelM: 495, GuaranteedLevelM: 496, HistoricMaxLevelM: 497));

        Task Area(string id, AreaKind kind, string? parent, Contact[] staff) =>
            Grains.GetGrain<IAreaGrain>(id).InitializeAsync(new AreaDefinition(id, kind, id, parent, square, staff));

        Task Building(string id, int elderly, Contact[] contacts, string[] sensors) =>
            Grains.GetGrain<IBuildingGrain>(id).InitializeAsync(new BuildingDefinition(
                id, BuildingUse.Residential, 6, Centre, square, 1, 2 + elderly, elderly, "grid-1", "community-1", "street-1", "cell-0-0", contacts, sensors));

        Task HomeSensor(string id, SensorKind kind, string building, string unit, double? alarm) =>
            Sensor(id).InitializeAsync(new SensorDefinition(id, kind, building, 2, Centre, "grid-1", "community-1", "street-1", "cell-0-0", unit, alarm));
    }
}
