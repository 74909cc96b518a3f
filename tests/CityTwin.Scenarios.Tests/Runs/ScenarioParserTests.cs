using CityTwin.Scenarios.Runs;
using CityTwin.TestSupport;

namespace CityTwin.Scenarios.Tests.Runs;

public sealed class ScenarioParserTests
{
    [Theory]
    [InlineData("heavy-rainfall", ScenarioKind.Rainfall)]
    [InlineData("gas-leak", ScenarioKind.GasLeak)]
    [InlineData("confined-space-rescue-drill", ScenarioKind.Drill)]
    [InlineData("muck-truck-violation", ScenarioKind.EventChain)]
    [InlineData("river-rise", ScenarioKind.RiverRise)]
    public void Every_stock_file_is_valid(string name, ScenarioKind kind)
    {
        ScenarioDefinition d = StockScenarios.Load(name);
        Assert.Equal(kind, d.Kind);
        Assert.Equal(name, d.Name);
    }

    [Fact]
    public void Heavy_rainfall_is_the_red_rainstorm_level_of_100_mm_in_3_hours()
    {
        ScenarioDefinition d = StockScenarios.Load("heavy-rainfall");
        var storm = d.Rainfall!.ToHyetograph();
        Assert.Equal(100, storm.TotalDepthMm, 6);
        Assert.Equal(3 * 3600, storm.DurationSeconds, 6);
        Assert.Equal(TimeSpan.FromHours(6), d.Duration);
    }

    [Fact]
    public void Stock_files_ship_beside_the_binaries() =>
        Assert.Equal(["confined-space-rescue-drill", "gas-leak", "heavy-rainfall", "muck-truck-violation", "river-rise"], StockScenarios.Names());

    [Theory]
    [InlineData("""{"kind":"event-chain","duration":"PT1H","timeline":[{"at":"PT1M","type":"note","text":"a"},{"at":"PT2M","type":"note","text":"b"},{"at":"10 minutes","type":"note","text":"c"}]}""",
        "$.timeline[2].at", "must be an ISO 8601 duration or time")]
    [InlineData("""{"kind":"flood","duration":"PT1H"}""", "$.kind", "must be one of rainfall, river-rise, gas-leak, drill, event-chain")]
    [InlineData("""{"kind":"rainfall","duration":"PT1H"}""", "$.rainfall", "is required for kind 'rainfall'")]
    [InlineData("""{"kind":"rainfall","duration":"6 hours","rainfall":{"totalMm":10,"duration":"PT1H"}}""", "$.duration", "must be an ISO 8601 duration (e.g. PT10M, PT3H, P1D)")]
    [InlineData("""{"kind":"rainfall","duration":"PT6H","rainfall":{"totalMm":-5,"duration":"PT1H"}}""", "$.rainfall.totalMm", "must be between 0 and 2000")]
    [InlineData("""{"kind":"rainfall","duration":"PT6H","rainfall":{"totalMm":5,"duraton":"PT1H"}}""", "$.rainfall.duraton", null)]
    [InlineData("""{"kind":"gas-leak","duration":"PT1H","gas":{"source":"@nowhere","rateGps":1}}""", "$.gas.source", null)]
    [InlineData("""{"kind":"gas-leak","duration":"PT1H","gas":{"source":"sensor-1","stability":"G","rateGps":1}}""", "$.gas.stability", "must be one of A, B, C, D, E, F")]
    [InlineData("""{"kind":"drill","duration":"PT1H","drill":{"incidents":[{"at":"PT1M","building":"@residential","units":["helicopter"]}]}}""", "$.drill.incidents[0].units[0]", null)]
    [InlineData("""{"kind":"event-chain","duration":"PT1H","timeline":[{"at":"PT2H","type":"note","text":"late"}]}""", "$.timeline[0].at", "must not be later than the scenario's duration")]
    [InlineData("""{"kind":"event-chain","duration":"PT1H","timeline":[{"at":"PT2M","type":"position","vehicle":"@muck-truck","position":[200,30]}]}""", "$.timeline[0].position", null)]
    [InlineData("""{"kind":"river-rise","duration":"PT2H","river":{"stage":[{"at":"PT0H","riseM":1}],"inflow":[{"at":"PT0H","m3s":100}]}}""", "$.river.inflow", "cannot be combined with stage: an imposed stage is not routed")]
    [InlineData("""{"kind":"river-rise","duration":"PT2H","river":{"catchment":{"areaKm2":50,"curveNumber":80,"lagHours":1}}}""", "$.river.catchment", "needs the scenario's rainfall to fall on it")]
    [InlineData("""{"kind":"river-rise","duration":"PT2H","river":{"inflow":[{"at":"PT0H","m3s":100},{"at":"PT1H","m3s":-5}]}}""", "$.river.inflow[1].m3s", "must be between 0 and 1000000")]
    [InlineData("""{"kind":"river-rise","duration":"PT2H","river":{"inflow":[{"at":"PT1H","m3s":100},{"at":"PT1H","m3s":200}]}}""", "$.river.inflow[1].at", "must be later than the previous point")]
    [InlineData("""{"kind":"rainfall","duration":"PT2H","rainfall":{"totalMm":50,"duration":"PT1H"},"river":{"catchment":{"areaKm2":50,"curveNumber":80}}}""", "$.river.catchment.lagHours", "is required")]
    public void An_invalid_file_is_rejected_with_the_path_of_the_bad_field_and_why(string json, string path, string? reason)
    {
        var e = Assert.Throws<ScenarioValidationException>(() => ScenarioParser.Parse(json));
        Assert.Equal(path, e.Path);
        if (reason is not null)
        {
            Assert.Equal(reason, e.Reason);
            Assert.Equal($"{path}: {reason}", e.Message);
        }
    }

    [Fact]
    public void A_river_without_a_stage_is_routed_from_its_inflow_hydrograph_or_catchment()
    {
        ScenarioDefinition given = ScenarioParser.Parse("""{"kind":"river-rise","duration":"PT4H","river":{"inflow":[{"at":"PT0H","m3s":80},{"at":"PT2H","m3s":480}],"manningN":0.04,"widthM":45}}""");
        RiverSpec river = given.River!;
        Assert.True(river.IsRouted);
        Assert.Equal(280, river.GivenInflowAt(TimeSpan.FromHours(1))!.Value, 9);
        Assert.Equal(480, river.GivenInflowAt(TimeSpan.FromHours(3))!.Value, 9);
        Assert.Equal(0.04, river.ManningN);
        Assert.Equal(45, river.WidthM);
        Assert.Null(river.BaseFlowM3s);

        RiverSpec stock = StockScenarios.Load("heavy-rainfall").River!;
        Assert.True(stock.IsRouted);
        Assert.Equal(new UpstreamCatchment(150, 80, 1.5), stock.Catchment);
        Assert.Equal(RiverSpec.DefaultManningN, stock.ManningN);
        Assert.False(StockScenarios.Load("river-rise").River!.IsRouted);
    }

    [Fact]
    public void Malformed_json_is_rejected_at_the_root()
    {
        var e = Assert.Throws<ScenarioValidationException>(() => ScenarioParser.Parse("{\"kind\": "));
        Assert.Equal("$", e.Path);
    }

    [Fact]
    public void Timeline_times_may_be_durations_or_times_after_the_start_and_run_in_order()
    {
        ScenarioDefinition d = ScenarioParser.Parse("""
            {"kind":"event-chain","start":"2024-07-10T14:00:00Z","duration":"PT1H","timeline":[
              {"at":"2024-07-10T14:30:00Z","type":"note","text":"second"},
              {"at":"PT10M","type":"note","text":"first"}]}
            """);
        Assert.Equal(["first", "second"], d.Timeline.Select(e => e.Text));
        Assert.Equal(TimeSpan.FromMinutes(30), d.Timeline[1].At);
    }
}
