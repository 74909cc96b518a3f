using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;

namespace CityTwin.Scenarios.Tests.Runs;

public sealed class ScenarioRunTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    [Fact]
    public async Task A_six_hour_storm_runs_in_virtual_time_and_reports_depths_gauges_and_buildings_at_risk()
    {
        ScenarioDefinition storm = StockScenarios.Load("heavy-rainfall");
        await using TwinFork fork = await twin.Twin.ForkAsync();
        var progress = new List<ScenarioProgress>();
        var watch = Stopwatch.StartNew();

        ScenarioResult result = await ScenarioRunner.RunAsync(fork, storm, progress.Add);

        // Six simulated hours pass on the fork's clock; the test finishes in (real) seconds.
        Assert.Equal(TimeSpan.FromHours(6), fork.Clock.GetUtcNow() - SandboxTwinFixture.Now);
        Assert.Equal(TimeSpan.FromHours(6), result.SimulatedEnd - result.SimulatedStart);
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"took {watch.Elapsed}");
        Assert.Equal(100, result.Figures["rainfallMm"], 3);
        Assert.True(result.Figures["peakDepthM"] > 0.15, $"peak depth {result.Figures["peakDepthM"]}");
        Assert.True(Math.Abs(result.Figures["massBalanceErrorM3"]) < 1, "the model conserves water");
        Assert.NotEmpty(result.Layers["maxWaterDepth"]["features"]!.AsArray());

        // Progress is reported every 10 simulated minutes and ends at 1.
        Assert.True(progress.Count >= 36);
        Assert.Equal(1.0, progress[^1].Progress, 6);

        // Buildings at risk: times past 0.15 m never after times past 0.5 m; the evacuation list puts the deep-water
        // tier first and, within a tier, buildings with elderly residents first.
        Assert.All(result.BuildingsAtRisk, b => Assert.True(b.FirstAbove05At is null || b.FirstAbove015At <= b.FirstAbove05At));
        AssertElderlyFirstWithinTiers(result.Evacuation);

        // The gauges heard the water level at their cells and the fork's cells hold the last depths.
        foreach (EntitySummary gauge in fork.Directory.OfType(EntityType.Gauge))
        {
            Assert.True(result.Figures.ContainsKey($"{gauge.Id}.peakLevelM"));
            Assert.NotNull(gauge.Value);
        }

        Assert.Contains(fork.Directory.OfType(EntityType.Cell), c => (SummaryNumber(c, "waterDepthM") ?? 0) > 0);

        // Each wet cell of the fork holds the run's final depth to the centimetre, and is "flooded" exactly when that
        // depth is 0.15 m or more (depths within a millimetre of the line are rounded in the layer, so skipped).
        foreach (JsonNode? feature in result.Layers["maxWaterDepth"]["features"]!.AsArray())
        {
            string id = feature!["id"]!.GetValue<string>();
            double final = feature["properties"]!["depthM"]!.GetValue<double>();
            EntitySummary cell = fork.Directory.Get(EntityType.Cell, id)!;
            Assert.True(Math.Abs((SummaryNumber(cell, "waterDepthM") ?? 0) - final) <= 0.011, $"{id}: grain {SummaryNumber(cell, "waterDepthM")} m, model {final} m");
            if (Math.Abs(final - 0.15) > 0.001)
            {
                Assert.Equal(final >= 0.15 ? "flooded" : "wet-or-dry", cell.Status == "flooded" ? "flooded" : "wet-or-dry");
            }
        }
    }

    // The stock red rainstorm falls on the district and on 150 km2 upstream; the river, routed reach by reach, must rise
    // past the warning levels after the rain has had time to run off, each gauge's tiers once each and in order (blue, yellow, orange, red)
    // with the gauge grains' own warnings and rate-of-rise warnings, and the report must carry every gauge's hydrograph.
    [Fact]
    public async Task Heavy_rainfall_raises_the_river_and_tiered_warnings_in_order()
    {
        ScenarioDefinition storm = StockScenarios.Load("heavy-rainfall");
        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, storm);

        RiverReport river = Assert.IsType<RiverReport>(result.River);
        EntitySummary[] gauges = [.. fork.Directory.OfType(EntityType.Gauge).OrderBy(g => g.Id, StringComparer.Ordinal)];
        Assert.Equal(gauges.Select(g => g.Id), river.Gauges.Select(g => g.GaugeId).Order(StringComparer.Ordinal));
        Assert.True(river.UpstreamInflow.Max(p => p.FlowM3s) > 3 * river.BaseFlowM3s, $"peak inflow {river.UpstreamInflow.Max(p => p.FlowM3s)} on base {river.BaseFlowM3s}");
        foreach (GaugeHydrograph h in river.Gauges)
        {
            // One point at the start and one per 10 simulated minutes.
            Assert.Equal(37, h.Points.Count);
            Assert.Equal(result.SimulatedStart, h.Points[0].At);
            Assert.True(h.PeakFlowM3s > 2 * h.Points[0].FlowM3s, $"{h.GaugeId}: peak {h.PeakFlowM3s} from {h.Points[0].FlowM3s}");
            Assert.True(h.PeakAt > result.SimulatedStart + TimeSpan.FromHours(1), $"{h.GaugeId} peaks at {h.PeakAt}");

            // One flood wave: the stage rises to its peak and falls from it, without the step-to-step flapping an
            // overshooting exchange with the floodplain caused (a centimetre of slack for the rating's rounding).
            int peak = Enumerable.Range(0, h.Points.Count).First(k => h.Points[k].At == h.PeakAt);
            for (int k = 1; k < h.Points.Count; k++)
            {
                double rise = h.Points[k].LevelM!.Value - h.Points[k - 1].LevelM!.Value;
                Assert.True(k <= peak ? rise >= -0.01 : rise <= 0.01, $"{h.GaugeId}: {h.Points[k - 1].LevelM} m then {h.Points[k].LevelM} m at {h.Points[k].At} (peak at {h.PeakAt})");
            }
        }

        // Downstream gauges peak no earlier than upstream ones: the wave travels down the channel.
        GaugeHydrograph[] byChainage = [.. river.Gauges.OrderBy(g => g.ChainageM)];
        for (int k = 1; k < byChainage.Length; k++)
        {
            Assert.True(byChainage[k].PeakAt >= byChainage[k - 1].PeakAt, $"{byChainage[k].GaugeId} peaks before {byChainage[k - 1].GaugeId}");
        }

        // Tiered warnings from the gauge grains' rules: per gauge each tier raised at most once, in order (a tier may be
        // skipped when the level passes two lines within a reporting interval, or two lines coincide), none in the first
        // 30 minutes (the rain has to run off first), none lowered before the last is raised, and at least one gauge
        // reaching the warning level.
        string[] order = ["blue", "yellow", "orange", "red"];
        int raised = 0;
        foreach (EntitySummary gauge in gauges)
        {
            TimelineEntry[] tiers = [.. result.Timeline.Where(e => e.Kind == "warning" && e.EntityId == gauge.Id && e.Message.StartsWith("riverTier:", StringComparison.Ordinal))];
            int[] ranks = [.. tiers.Select(e => Array.FindIndex(order, t => e.Message.Contains($"{t} tier", StringComparison.Ordinal)))];
            Assert.All(ranks, r => Assert.True(r >= 0));
            for (int k = 1; k < tiers.Length; k++)
            {
                Assert.True(ranks[k] > ranks[k - 1] && tiers[k].At > tiers[k - 1].At, $"{gauge.Id}: {tiers[k].Message} at {tiers[k].At} after {tiers[k - 1].Message} at {tiers[k - 1].At}");
            }

            Assert.All(tiers, e => Assert.True(e.At >= result.SimulatedStart + TimeSpan.FromMinutes(30), $"{gauge.Id}: {e.Message} at {e.At}"));
            TimelineEntry[] lowered = [.. result.Timeline.Where(e => e.Kind == "warning" && e.EntityId == gauge.Id && e.Message.StartsWith("riverTierLowered:", StringComparison.Ordinal))];
            Assert.All(lowered, e => Assert.True(tiers.Length > 0 && e.At > tiers[^1].At, $"{gauge.Id}: {e.Message} at {e.At} before its last tier was raised"));
            raised += ranks.Any(r => r >= 1) ? 1 : 0;
        }

        Assert.True(raised > 0, "no gauge reached its warning level");
        Assert.Contains(result.Timeline, e => e.Kind == "warning" && e.Message.StartsWith("riverTier:", StringComparison.Ordinal) && (e.Message.Contains("orange tier", StringComparison.Ordinal) || e.Message.Contains("red tier", StringComparison.Ordinal)));
        Assert.Contains(result.Timeline, e => e.Kind == "warning" && e.Message.StartsWith("rateOfRise:", StringComparison.Ordinal));

        // Both ledgers close: the flood model's to 1e-9 of the water it moved, the channel's to rounding.
        Assert.True(result.Figures["massBalanceRelativeError"] <= 1e-9, $"relative mass balance error {result.Figures["massBalanceRelativeError"]}");
        Assert.True(Math.Abs(result.Figures["riverBalanceErrorM3"]) <= 1e-9 * result.Figures["riverUpstreamInflowM3"]);
        Assert.True(result.Figures["riverFromDistrictM3"] > 0, "the district's runoff reached the river");
    }

    [Fact]
    public async Task A_river_rise_floods_the_banks_and_raises_tiered_gauge_warnings()
    {
        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, StockScenarios.Load("river-rise"));

        Assert.Contains(result.Timeline, e => e.Kind == "gauge-level" && e.Severity is "yellow" or "orange" or "red");
        Assert.Contains(result.Timeline, e => e.Kind == "warning");
        Assert.True(result.Figures["floodedCells"] > 0);
    }

    // A forecast is a function of the twin and the scenario, not of the order the fork's read model lists entities in
    // (that order follows the order storage returns the states, which PostgreSQL and SQLite do not fix, and string hash
    // codes, which differ from process to process). The second fork lists its cells in another order: its first cell is
    // indexed again (moved away and back, so it is listed last), with the same summary. Only the wall-clock section
    // timings (physicsSeconds, readCellsSeconds, pushSeconds, advanceSeconds, waitSeconds, reportSeconds) legitimately
    // differ; a ScenarioResult carries no run id.
    [Fact]
    public async Task A_river_rise_reports_the_same_on_two_forks_of_one_twin()
    {
        ScenarioDefinition rise = StockScenarios.Load("river-rise");
        string first, second;
        await using (TwinFork fork = await twin.Twin.ForkAsync())
        {
            first = Comparable(await ScenarioRunner.RunAsync(fork, rise));
        }

        await using (TwinFork fork = await twin.Twin.ForkAsync())
        {
            EntitySummary listedFirst = fork.Directory.OfType(EntityType.Cell).First();
            fork.Directory.Upsert(listedFirst with { Position = new GeoPoint(listedFirst.Position.Lon + 0.05, listedFirst.Position.Lat) }, publish: false);
            fork.Directory.Upsert(listedFirst, publish: false);
            Assert.NotEqual(listedFirst.Id, fork.Directory.OfType(EntityType.Cell).First().Id);
            second = Comparable(await ScenarioRunner.RunAsync(fork, rise));
        }

        Assert.Equal(first, second);

        static string Comparable(ScenarioResult result)
        {
            JsonObject json = JsonSerializer.SerializeToNode(result, TwinJson.Options)!.AsObject();
            JsonObject figures = json["figures"]!.AsObject();
            foreach (string wallClock in new[] { "physicsSeconds", "readCellsSeconds", "pushSeconds", "advanceSeconds", "waitSeconds", "reportSeconds" })
            {
                Assert.True(figures.Remove(wallClock), $"no figure {wallClock}");
            }

            return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
    }

    [Fact]
    public async Task A_gas_leak_takes_its_wind_from_the_nearest_wind_sensor_with_a_reading()
    {
        await using TwinFork fork = await twin.Twin.ForkAsync();
        EntitySummary[] wind = [.. fork.Directory.OfType(EntityType.Sensor).Where(s => string.Equals(s.Kind, "wind", StringComparison.OrdinalIgnoreCase)).OrderBy(s => s.Id, StringComparer.Ordinal)];
        Assert.True(wind.Length >= 2, $"{wind.Length} wind sensors");
        for (int i = 0; i < wind.Length; i++)
        {
            await fork.Silo.GrainFactory.GetGrain<ISensorGrain>(wind[i].Id).RecordAsync(new SensorReading(1 + (0.25 * i), "m/s", fork.Clock.GetUtcNow()));
        }

        ScenarioResult result = await ScenarioRunner.RunAsync(fork, StockScenarios.Load("gas-leak"));

        TimelineEntry start = result.Timeline.First(e => e.Kind == "start");
        ProjectedPoint origin = fork.Directory.Projection.Forward(fork.Directory.Get(start.EntityId!)!.Position);
        int nearest = Enumerable.Range(0, wind.Length).MinBy(i => fork.Directory.Projection.Forward(wind[i].Position).DistanceTo(origin));
        Assert.Equal(1 + (0.25 * nearest), result.Figures["windSpeedMps"], 9);
        Assert.Contains($"sensor {wind[nearest].Id},", start.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gas_leak_lists_buildings_to_evacuate_by_risk_with_elderly_first()
    {
        ScenarioDefinition leak = StockScenarios.Load("gas-leak");
        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, leak);

        Assert.NotEmpty(result.Evacuation);
        Assert.Equal("source of the leak", result.Evacuation[0].Reason);
        Assert.Equal("evacuate", result.Evacuation[0].Tier);
        AssertElderlyFirstWithinTiers(result.Evacuation);
        Assert.NotEmpty(result.Layers["gasConcentration"]["features"]!.AsArray());
        Assert.Equal(TimeSpan.FromHours(1), result.SimulatedEnd - result.SimulatedStart);

        // The injected alarm reached the fork's rules.
        Assert.Contains(result.Timeline, e => e.Kind == "alert");
    }

    [Fact]
    public async Task A_muck_truck_chain_moves_the_truck_through_its_geofences()
    {
        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, StockScenarios.Load("muck-truck-violation"));

        Assert.Equal(4, result.Timeline.Count(e => e.Kind == "injected"));
        Assert.DoesNotContain(result.Timeline, e => e.Kind == "skipped");
    }

    internal static void AssertElderlyFirstWithinTiers(IReadOnlyList<EvacuationEntry> list)
    {
        Assert.Equal(Enumerable.Range(1, list.Count), list.Select(e => e.Rank));
        foreach (IGrouping<string, EvacuationEntry> tier in list.Skip(1).GroupBy(e => e.Tier))
        {
            bool seenWithout = false;
            foreach (EvacuationEntry e in tier)
            {
                Assert.False(seenWithout && e.Elderly > 0, $"{e.BuildingId} has elderly residents but is listed after a building without");
                seenWithout |= e.Elderly == 0;
            }
        }
    }

    private static double? SummaryNumber(EntitySummary s, string name) =>
        s.Properties is not null && s.Properties.TryGetValue(name, out object? v) ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;
}
