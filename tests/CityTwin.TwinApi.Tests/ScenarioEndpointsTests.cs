using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Runs;
using CityTwin.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

public sealed class ScenarioEndpointsTests(ScenarioEndpointsTests.Server server) : IClassFixture<ScenarioEndpointsTests.Server>
{
    [Fact]
    public async Task A_planner_runs_the_stock_storm_on_a_fork_and_reads_the_result_while_the_live_twin_stays_unchanged()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        string cellsBefore = await planner.GetStringAsync("api/entities?type=cell&q=status==flooded&limit=5000");

        HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/runs", new { stock = "heavy-rainfall" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        Assert.Equal($"/api/scenarios/runs/{id}", accepted.Headers.Location!.OriginalString);

        JsonElement run = await WaitFinishedAsync(planner, id);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(1.0, run.GetProperty("progress").GetDouble());
        JsonElement result = run.GetProperty("result");
        Assert.Equal("FeatureCollection", result.GetProperty("layers").GetProperty("maxWaterDepth").GetProperty("type").GetString());
        Assert.True(result.GetProperty("timeline").GetArrayLength() > 0);
        Assert.True(result.GetProperty("figures").GetProperty("rainfallMm").GetDouble() > 99.9);
        Assert.Equal(JsonValueKind.Array, result.GetProperty("evacuation").ValueKind);

        // Nothing flooded in the live twin.
        Assert.Equal(cellsBefore, await planner.GetStringAsync("api/entities?type=cell&q=status==flooded&limit=5000"));
        Assert.Equal(0, server.Runs.ActiveForks);
    }

    [Fact]
    public async Task A_run_forked_from_a_saved_snapshot_works_on_the_snapshot_not_the_live_twin()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        string cellsBefore = await planner.GetStringAsync("api/entities?type=cell&q=status==flooded&limit=5000");

        HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/runs", new
        {
            snapshot = Server.SnapshotName,
            definition = new
            {
                name = "snapshot-storm", kind = "rainfall", start = "2024-07-10T12:00:00Z", duration = "PT2H", stepSeconds = 60, reportEvery = "PT10M",
                rainfall = new { totalMm = 120, duration = "PT1H", pattern = "uniform", interval = "PT5M" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;

        JsonElement run = await WaitFinishedAsync(planner, id);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        JsonElement result = run.GetProperty("result");
        Assert.Equal(DateTimeOffset.Parse("2024-07-10T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), result.GetProperty("simulatedEnd").GetDateTimeOffset());

        // The snapshot's raster (3 km: 900 cells in Shanghai), not the live twin's (5 km: 2,500 cells in Chengdu).
        Assert.Contains(result.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "start" && e.GetProperty("message").GetString()!.Contains("on 900 cells", StringComparison.Ordinal));
        JsonElement[] flooded = [.. result.GetProperty("layers").GetProperty("maxWaterDepth").GetProperty("features").EnumerateArray()];
        Assert.NotEmpty(flooded);
        Assert.All(flooded, f =>
        {
            JsonElement corner = f.GetProperty("geometry").GetProperty("coordinates")[0][0];
            Assert.InRange(corner[0].GetDouble(), 121.4, 121.55);
            Assert.InRange(corner[1].GetDouble(), 31.18, 31.28);
        });
        HashSet<string> snapshotBuildings = [.. server.Snapshot.Buildings.Select(b => $"building-{b.Id}")];
        Assert.All(result.GetProperty("buildingsAtRisk").EnumerateArray(), b => Assert.Contains(b.GetProperty("buildingId").GetString()!, snapshotBuildings));

        // The live twin is untouched and the fork is released.
        Assert.Equal(cellsBefore, await planner.GetStringAsync("api/entities?type=cell&q=status==flooded&limit=5000"));
        Assert.Equal(0, server.Runs.ActiveForks);
    }

    [Fact]
    public async Task An_inline_definition_with_a_bad_field_is_rejected_with_its_path_and_why()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        HttpResponseMessage response = await planner.PostAsJsonAsync("api/scenarios/runs", new
        {
            definition = new
            {
                kind = "event-chain",
                duration = "PT1H",
                timeline = new object[]
                {
                    new { at = "PT1M", type = "note", text = "a" },
                    new { at = "PT2M", type = "note", text = "b" },
                    new { at = "at noon", type = "note", text = "c" },
                },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("$.definition.timeline[2].at: must be an ISO 8601 duration or time", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.definition.timeline[2].at", out _));
    }

    [Theory]
    [InlineData("""{"stock":"no-such-scenario"}""", "$.stock")]
    [InlineData("""{"stock":"gas-leak","definition":{}}""", "$")]
    [InlineData("""{"stock":"gas-leak","snapshot":"nowhere"}""", "$.snapshot")]
    public async Task A_request_naming_no_scenario_is_rejected(string body, string field)
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        HttpResponseMessage response = await planner.PostAsync("api/scenarios/runs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Runs_need_the_planner_role()
    {
        using HttpClient op = server.CreateClient(TwinServerFixture.OperatorKey);
        HttpResponseMessage response = await op.PostAsJsonAsync("api/scenarios/runs", new { stock = "gas-leak" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("api/scenarios/runs")).StatusCode);
    }

    [Fact]
    public async Task Delete_cancels_a_running_scenario()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/runs", new
        {
            definition = new { name = "long", kind = "rainfall", duration = "P7D", stepSeconds = 1, reportEvery = "PT1M", rainfall = new { totalMm = 500, duration = "P7D", pattern = "uniform", interval = "PT1H" } },
        });
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await TestWait.UntilAsync(() => server.Runs.Get(id)!.ToView(false).Progress > 0, TimeSpan.FromSeconds(60), "the run to start");

        Assert.Equal(HttpStatusCode.Accepted, (await planner.DeleteAsync($"api/scenarios/runs/{id}")).StatusCode);
        JsonElement run = await WaitFinishedAsync(planner, id);
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await planner.DeleteAsync($"api/scenarios/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await planner.DeleteAsync("api/scenarios/runs/nope")).StatusCode);
    }

    [Fact]
    public async Task A_replay_feeds_recorded_telemetry_into_a_fork_and_compares_it_with_the_forecast()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        DateTimeOffset from = DateTimeOffset.UtcNow.AddDays(-3);
        var readings = Enumerable.Range(0, 12).Select(i => new { sensorId = "gauge-1", value = 500 + (0.1 * i), unit = "m", at = from.AddMinutes((i * 10) - 60) }).ToArray();
        HttpResponseMessage ingest = await server.CreateClient(TwinServerFixture.OperatorKey).PostAsJsonAsync("api/telemetry", readings);
        Assert.True(ingest.IsSuccessStatusCode, await ingest.Content.ReadAsStringAsync());

        HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/replays", new { from, to = from.AddHours(1), speed = 0 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        JsonElement run = await WaitFinishedAsync(planner, id);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        JsonElement replay = run.GetProperty("result").GetProperty("replay");
        Assert.Equal(6, replay.GetProperty("readings").GetInt32());
        JsonElement gauge = replay.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("entityId").GetString() == "gauge-1");
        Assert.True(gauge.GetProperty("meanAbsoluteError").GetDouble() < 1e-3);

        HttpResponseMessage bad = await planner.PostAsJsonAsync("api/scenarios/replays", new { from, to = from.AddHours(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("runs", """{"definition":{"kind":"rainfall","duration":"P7D","rainfall":{"totalMm":10,"duration":"P365D","interval":"PT0.0000001S"}}}""", "$.definition.rainfall.interval")]
    [InlineData("runs", """{"definition":{"kind":"rainfall","duration":"P7D","rainfall":{"totalMm":10,"duration":"P365D","interval":"PT1H"}}}""", "$.definition.rainfall.duration")]
    [InlineData("runs", """{"definition":{"kind":"rainfall","duration":"P365D","rainfall":{"totalMm":10,"duration":"PT1H"}}}""", "$.definition.duration")]
    [InlineData("runs", """{"definition":{"kind":"rainfall","duration":"PT6H","rainfall":{"totalMm":10,"duration":"PT1H","peakRatio":1}}}""", "$.definition.rainfall.peakRatio")]
    [InlineData("runs", """{"definition":{"kind":"rainfall","start":"0001-01-01T00:00:00Z","duration":"PT6H","rainfall":{"totalMm":10,"duration":"PT1H"}}}""", "$.definition.start")]
    [InlineData("replays", """{"from":"2024-07-09T00:00:00Z","to":"2024-07-09T01:00:00Z","speed":1e-300}""", "speed")]
    [InlineData("replays", """{"from":"0001-01-01T00:00:00Z","to":"0001-01-01T01:00:00Z"}""", "from")]
    [InlineData("replays", """{"from":"2199-01-01T00:00:00Z","to":"2199-01-02T00:00:00Z"}""", "from")]
    [InlineData("replays", """{"from":"2024-07-01T00:00:00Z","to":"2024-09-01T00:00:00Z"}""", "to")]
    public async Task A_parameter_out_of_its_bounds_is_refused_before_a_run_is_accepted(string endpoint, string body, string field)
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        int runsBefore = server.Runs.List().Count;

        HttpResponseMessage response = await planner.PostAsync($"api/scenarios/{endpoint}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.StartsWith($"{field}: must ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(runsBefore, server.Runs.List().Count);
    }

    [Fact]
    public async Task A_replay_of_a_range_with_nothing_recorded_fails_with_a_message_for_the_user()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        DateTimeOffset from = DateTimeOffset.UtcNow.AddDays(-300);
        HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/replays", new { from, to = from.AddDays(20), speed = 0 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;

        JsonElement run = await WaitFinishedAsync(planner, id);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.StartsWith("Nothing was recorded between", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Runs.ActiveForks);
    }

    [Fact]
    public async Task Delete_stops_a_paced_replay_while_it_waits_for_its_next_input()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        DateTimeOffset from = DateTimeOffset.UtcNow.AddDays(-5);
        var readings = new[] { new { sensorId = "gauge-1", value = 500.0, unit = "m", at = from.AddMinutes(1) }, new { sensorId = "gauge-1", value = 501.0, unit = "m", at = from.AddHours(9) } };
        Assert.True((await server.CreateClient(TwinServerFixture.OperatorKey).PostAsJsonAsync("api/telemetry", readings)).IsSuccessStatusCode);

        // Ten hours at 20x: the second input is due 27 minutes after the start.
        HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/replays", new { from, to = from.AddHours(10), speed = 20 });
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await TestWait.UntilAsync(() => server.Runs.Get(id)!.ToView(false).Progress > 0, TimeSpan.FromSeconds(60), "the replay to make progress");

        Assert.Equal(HttpStatusCode.Accepted, (await planner.DeleteAsync($"api/scenarios/runs/{id}")).StatusCode);
        JsonElement run = await WaitFinishedAsync(planner, id);

        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("progress").GetDouble() < 0.5);
        Assert.Equal(0, server.Runs.ActiveForks);
    }

    private static Task<JsonElement> WaitFinishedAsync(HttpClient client, string id) => ScenarioRunWait.UntilFinishedAsync(client, id);

    /// <summary>The real server with a saved snapshot runs can fork instead of the live twin.</summary>
    public sealed class Server : TwinServerFixture
    {
        /// <summary>The name of the saved snapshot runs can fork.</summary>
        public const string SnapshotName = "shanghai-small";

        private readonly TempDirectory _snapshots = new();

        /// <summary>The district saved as <see cref="SnapshotName"/>: another city and size than the live twin.</summary>
        public CityTwin.Scenarios.District.District Snapshot { get; } = DistrictGenerator.Generate(new DistrictOptions
        {
            Seed = 11, Name = "Snapshot district", CentreLon = 121.4737, CentreLat = 31.2304, SizeKm = 3, Buildings = 150,
        });

        /// <summary>The run registry.</summary>
        public ScenarioRunRegistry Runs => Services.GetRequiredService<ScenarioRunRegistry>();

        /// <inheritdoc />
        protected override string[] ExtraArgs => ["--Scenarios:SnapshotDirectory", _snapshots.Path];

        /// <inheritdoc />
        public override async Task InitializeAsync()
        {
            await DistrictFile.WriteAsync(Snapshot, _snapshots.Combine(SnapshotName + ".json"));
            await base.InitializeAsync();
        }

        /// <inheritdoc />
        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _snapshots.Dispose();
        }
    }
}
