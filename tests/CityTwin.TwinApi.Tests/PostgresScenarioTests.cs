using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Forks and replays from a live twin on PostgreSQL, through the HTTP API: a run forks the live twin (checkpointing it
/// into PostgreSQL and copying the stored states) while telemetry streams into it, and changes nothing live but what the
/// live ingest itself sent; a replay reads its inputs from the PostgreSQL event log and paces them (speed &gt; 0).
/// </summary>
[Collection(PostgresTwinCollection.Name)]
public sealed class PostgresScenarioTests(PostgresTwinServerFixture server)
{
    [Fact]
    public async Task A_run_forked_while_live_telemetry_streams_in_leaves_the_live_twin_with_exactly_the_ingested_readings()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        EntitySummary[] streamed = server.Directory.OfType(EntityType.Sensor).Where(s => s.Kind is not (nameof(SensorKind.Gas) or nameof(SensorKind.Smoke) or nameof(SensorKind.CarbonMonoxide) or nameof(SensorKind.SosButton)))
            .OrderBy(s => s.Id, StringComparer.Ordinal).Take(20).ToArray();
        var streamedIds = streamed.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        Dictionary<string, (string? Status, double? Value)> before = AllEntities().Where(e => !streamedIds.Contains(e.Id)).ToDictionary(e => e.Id, e => (e.Status, e.Value), StringComparer.Ordinal);
        Dictionary<string, long> countsBefore = [];
        foreach (EntitySummary s in streamed)
        {
            countsBefore[s.Id] = await StatisticsCountAsync(s.Id);
        }

        long loggedBefore = await server.Host.Store.EventLog.CountAsync();
        int batchesAccepted = 0;
        using var stop = new CancellationTokenSource();
        var start = DateTimeOffset.UtcNow;
        Task streaming = Task.Run(async () =>
        {
            // Each sensor's own current value, so the streamed readings raise no alarm of their own.
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                var batch = streamed.Select(s => new { sensorId = s.Id, value = s.Value ?? 0, at = start.AddMilliseconds(n) }).ToArray();
                using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/telemetry", batch);
                Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
                batchesAccepted++;
            }
        });

        // The gas leak alarms detectors, evacuates buildings and opens cases, in its fork.
        using HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/runs", new { stock = "gas-leak" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        JsonElement run = await ScenarioRunWait.UntilFinishedAsync(planner, id);
        await stop.CancelAsync();
        await streaming;

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("result").GetProperty("timeline").GetArrayLength() > 0, run.ToString());
        Assert.True(batchesAccepted > 0);

        // Live: the log holds the streamed readings and nothing of the fork; each streamed sensor applied each of its
        // readings once; every other entity is as it was.
        Assert.Equal(loggedBefore + (batchesAccepted * streamed.Length), await server.Host.Store.EventLog.CountAsync());
        foreach (EntitySummary s in streamed)
        {
            Assert.Equal(countsBefore[s.Id] + batchesAccepted, await StatisticsCountAsync(s.Id));
        }

        var changed = AllEntities().Where(e => !streamedIds.Contains(e.Id) && (!before.TryGetValue(e.Id, out var was) || was != (e.Status, e.Value))).Select(e => e.Id).Take(5).ToArray();
        Assert.True(changed.Length == 0, $"live entities changed by the fork: {string.Join(", ", changed)}");
    }

    [Fact]
    public async Task A_paced_replay_reads_the_recorded_readings_from_the_postgres_log_and_compares_them_with_its_forecast()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        DateTimeOffset from = DateTimeOffset.UtcNow.AddDays(-2);
        var readings = Enumerable.Range(0, 12).Select(i => new { sensorId = "gauge-1", value = 500 + (0.1 * i), unit = "m", at = from.AddMinutes((i * 10) - 60) }).ToArray();
        using HttpResponseMessage ingest = await server.Client.PostAsJsonAsync("api/telemetry", readings);
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);

        // One recorded hour at 3,600x: the inputs are spread over a second of real time, the last one due 50/60 s in.
        var watch = Stopwatch.StartNew();
        using HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/replays", new { from, to = from.AddHours(1), speed = 3600 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        JsonElement run = await ScenarioRunWait.UntilFinishedAsync(planner, id);
        TimeSpan took = watch.Elapsed;

        Assert.Equal("completed", run.GetProperty("status").GetString());
        JsonElement replay = run.GetProperty("result").GetProperty("replay");
        Assert.Equal(6, replay.GetProperty("readings").GetInt32());
        JsonElement gauge = replay.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("entityId").GetString() == "gauge-1");
        Assert.True(gauge.GetProperty("meanAbsoluteError").GetDouble() < 1e-3);

        // Pacing can only make a run slower, never faster, so this lower bound holds however loaded the machine is.
        Assert.True(took >= TimeSpan.FromSeconds(50.0 / 60 * 0.9), $"a replay paced at 3,600x finished in {took}: it was not paced");
    }

    private IEnumerable<EntitySummary> AllEntities() => Enum.GetValues<EntityType>().SelectMany(server.Directory.OfType);

    private async Task<long> StatisticsCountAsync(string sensorId) =>
        (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensorId}"))
            .GetProperty("properties").GetProperty("state").GetProperty("statistics").GetProperty("count").GetInt64();
}
