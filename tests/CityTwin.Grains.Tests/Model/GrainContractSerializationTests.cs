using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CityTwin.Grains.Tests.Model;

/// <summary>
/// What crosses grain calls survives Orleans' serializer (as between silos) and its copier (as within one): every field
/// comes back, and immutable types are passed by reference instead of copied.
/// </summary>
public sealed class GrainContractSerializationTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Where = new(104.0657, 30.6595);
    private static readonly Contact Officer = new("Zhang Wei", "community officer", "028-1001");
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(GrainsAssembly).Assembly))
        .BuildServiceProvider();

    public static TheoryData<string> Contracts => [.. Samples().Keys];

    [Theory]
    [MemberData(nameof(Contracts))]
    public void A_contract_round_trips_through_the_serializer_with_every_field(string name)
    {
        object value = Samples()[name];
        Serializer serializer = _services.GetRequiredService<Serializer>();

        object? back = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value));

        Assert.NotNull(back);
        Assert.Equal(value.GetType(), back.GetType());
        Assert.Equal(Json(value), Json(back));
    }

    [Fact]
    public void Immutable_contracts_are_passed_by_reference_and_mutable_ones_copied()
    {
        DeepCopier copier = _services.GetRequiredService<DeepCopier>();
        Dictionary<string, object> samples = Samples();

        foreach (string name in new[] { nameof(EntitySummary), nameof(Alert), nameof(CaseView), nameof(KpiReport), nameof(EntityDetails) })
        {
            Assert.Same(samples[name], copier.Copy(samples[name]));
        }

        var meta = (DistrictMeta)samples[nameof(DistrictMeta)];
        DistrictMeta copy = copier.Copy(meta);
        Assert.NotSame(meta, copy);
        Assert.Equal(Json(meta), Json(copy));
    }

    public void Dispose() => _services.Dispose();

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), JsonSerializerOptions.Web);

    private static Dictionary<string, object> Samples()
    {
        var sensor = new SensorState
        {
            Definition = new SensorDefinition("s1", SensorKind.Gas, "b1", 2, Where, "grid-1", "community-1", "street-1", "cell-0-0", "%LEL", 20),
            LastValue = 25,
            LastUnit = "%LEL",
            LastHeardAt = At,
            LastUseAt = At,
            BatteryPercent = 80,
            InAlarm = true,
        };
        EntitySummary summary = sensor.ToSummary();
        CaseTimelineEntry entry = new(1, "report", "reported", "reported", "tester", At, "noted", ["https://photos.example/a.jpg"])
        {
            Details = new Dictionary<string, string> { ["source"] = "citizen" },
        };
        CaseView view = new()
        {
            Id = "case-1", Status = "dispatched", Source = "citizen", Category = "road-damage", Department = "roads", Severity = "medium",
            Location = Where, Level = "grid", Contact = Officer, ReportedAt = At, UpdatedAt = At, DueAt = At.AddHours(4),
            Units = [new CaseUnit("responder", "r1", "primary", "roads", 200, 260, At)],
            StageTimes = new Dictionary<string, DateTimeOffset> { ["reported"] = At },
            StageSeconds = new Dictionary<string, double> { ["reported"] = 60 },
            AlertIds = ["a1"], AllowedActions = ["accept"], Timeline = [entry],
        };
        return new Dictionary<string, object>
        {
            [nameof(EntitySummary)] = summary,
            [nameof(Alert)] = new Alert(
                "a1", "alert", AlertKinds.Gas, AlertSeverity.Critical, "Gas", EntityType.Sensor, "s1", Where, At, "b1", "grid-1", "community-1", "street-1",
                [Officer], new Dictionary<string, string>(StringComparer.Ordinal) { ["value"] = "25" }),
            [nameof(EntityDetails)] = EntityDetails.Of(summary, sensor),
            [nameof(SensorAlertRequest)] = new SensorAlertRequest("s1", SensorKind.SosButton, AlertKinds.Sos, AlertSeverity.Critical, "SOS", Where, At, AlertAudience.Community, true),
            [nameof(SensorReading)] = new SensorReading(25, "%LEL", At),
            [nameof(VehiclePosition)] = new VehiclePosition(Where, At, 30, false, 31.5),
            [nameof(VehicleDefinition)] = new VehicleDefinition("t1", VehicleKind.MuckTruck, "川A·t1", Where, "depot-1", "site-1"),
            [nameof(BuildingDefinition)] = new BuildingDefinition(
                "b1", BuildingUse.ElderlyCare, 6, Where, [Where, Where, Where], 1, 3, 1, "grid-1", "community-1", "street-1", "cell-0-0", [Officer], ["s1"]),
            [nameof(AreaDefinition)] = new AreaDefinition("grid-1", AreaKind.Grid, "Grid 1", "community-1", [Where, Where, Where], [Officer]),
            [nameof(DistrictMeta)] = new DistrictMeta
            {
                Name = "test", Seed = 7, UtmZone = 48, LoadedAt = At, Counts = new Dictionary<string, int> { ["sensor"] = 1 },
                Geofences = [new GeofenceDefinition("site-1", GeofenceKind.ConstructionSite, "Site", Where, null, 50)],
                Stations = [new StationDefinition("depot-1", StationKind.TruckDepot, "Depot", Where)],
            },
            [nameof(CaseReport)] = new CaseReport(CaseSource.Drone, "illegal-building", Where, "detected") { Area = [Where, Where, Where], Contact = Officer },
            [nameof(CaseTransitionRequest)] = new CaseTransitionRequest(CaseAction.Dispatch, "operator-1") { Assignee = "r1", ExpectedSequence = 2 },
            [nameof(CaseTransitionResult)] = new CaseTransitionResult(CaseOutcome.Conflict, view, "moved on", ["accept"]) { Field = "actor" },
            [nameof(CaseView)] = view,
            [nameof(KpiReport)] = new KpiReport
            {
                Area = "d1", From = At, Reported = 4, BySource = new Dictionary<string, long> { ["citizen"] = 2 },
                ByCategory = new Dictionary<string, long> { ["noise"] = 2 }, ByStatus = new Dictionary<string, long> { ["closed"] = 2 },
                ClosureRate = 0.5, Stages = new Dictionary<string, StageKpi> { ["reported"] = new(4, 300, 1800) }, EndToEnd = new StageKpi(2, 120, 7200),
            },
            [nameof(CaseStageEvent)] = new CaseStageEvent(At, "reported", "verified", 60, null, true),
            [nameof(MonitorScanResult)] = new MonitorScanResult(At, 7, 1, 0),
            [nameof(ResponderTask)] = new ResponderTask("case-1", "road-damage", "dispatched", At, At),
        };
    }
}
