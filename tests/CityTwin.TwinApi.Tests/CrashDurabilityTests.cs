using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// An input is acknowledged only after its event-log append committed: the real executable is killed with SIGKILL
/// while readings, vehicle positions, case reports and case transitions stream in, and after a restart every
/// acknowledged input is in the log, the sensors' and vehicles' state reflects every logged input exactly once (stored
/// states from the last checkpoint, the rest replayed from the log), every acknowledged case step is in its case, and an
/// alarm acknowledged just before the kill still holds its sensor and its building in alarm.
/// </summary>
public sealed class CrashDurabilityTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_SIGKILL_no_acknowledged_input_is_missing_from_the_log_or_the_twins_state(string store)
    {
        using var dir = new TempDirectory();
        await using PostgresDatabase? db = store == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        // Checkpoints every second: the kill falls between them, so some readings are in stored states and the rest must be replayed.
        string[] args = store == "postgres"
            ? ["--store", "postgres", "--connection", db!.ConnectionString, "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:01"]
            : ["--store", "sqlite", "--connection", dir.Combine("twin.db"), "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:01"];

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();

        // Per case, how many of its steps (report, verify) were acknowledged.
        var cases = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        string alarmSensor, alarmBuilding;
        var start = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        await using (ServerProcess server = await ServerProcess.StartAsync(dir.Path, args))
        {
            JsonElement sensorPage = await server.Client.GetFromJsonAsync<JsonElement>("api/entities?type=sensor&pageSize=1000");
            // One gas detector in a building stays out of the stream: its only reading is the alarm sent just before the kill.
            JsonElement alarmFeature = sensorPage.GetProperty("features").EnumerateArray()
                .First(f => string.Equals(f.GetProperty("properties").GetProperty("kind").GetString(), "gas", StringComparison.OrdinalIgnoreCase) && f.GetProperty("properties").TryGetProperty("buildingId", out _));
            alarmSensor = alarmFeature.GetProperty("id").GetString()!;
            alarmBuilding = alarmFeature.GetProperty("properties").GetProperty("buildingId").GetString()!;
            (double lon, double lat) = (alarmFeature.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), alarmFeature.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble());
            string[] sensors = sensorPage.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Where(id => id != alarmSensor).ToArray();
            Assert.NotEmpty(sensors);
            long sequence = 0;
            using var stop = new CancellationTokenSource();
            Task[] senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // Every reading has its own timestamp, so (sensor, at) identifies it in the log; 0 and 1 are within the
                    // physical range of every sensor kind.
                    var readings = Enumerable.Range(0, 100).Select(_ =>
                    {
                        long n = Interlocked.Increment(ref sequence);
                        return new { sensorId = sensors[n % sensors.Length], value = (double)(n / sensors.Length % 2), at = start.AddMilliseconds(n) };
                    }).ToArray();
                    try
                    {
                        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/telemetry", readings);
                        if (r.StatusCode == HttpStatusCode.Accepted)
                        {
                            JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
                            Assert.Equal(100, body.GetProperty("accepted").GetInt32());
                            foreach (var x in readings)
                            {
                                acknowledged.Add($"{x.sensorId}|{x.at.ToUnixTimeMilliseconds()}");
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone: this batch was never acknowledged
                    }
                }
            })).Append(Task.Run(async () =>
            {
                // One sender of vehicle positions, each vehicle's fixes in time order at its own position.
                JsonElement vehiclePage = await server.Client.GetFromJsonAsync<JsonElement>("api/entities?type=vehicle&pageSize=1000");
                (string Id, double Lon, double Lat)[] vehicles = vehiclePage.GetProperty("features").EnumerateArray()
                    .Select(f => (f.GetProperty("id").GetString()!, f.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), f.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble()))
                    .ToArray();
                long fix = 0;
                while (!stop.IsCancellationRequested)
                {
                    var positions = Enumerable.Range(0, 20).Select(_ =>
                    {
                        (string id, double lon, double lat) = vehicles[fix % vehicles.Length];
                        fix++;
                        return new { vehicleId = id, lon, lat, at = start.AddSeconds(fix) };
                    }).ToArray();
                    try
                    {
                        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/vehicles/positions", positions);
                        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).Append(Task.Run(async () =>
            {
                // One reporter opening cases and verifying each, remembering what was acknowledged.
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using HttpResponseMessage created = await server.Client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon, lat }, description = "crash test" });
                        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                        cases[id] = 1;
                        using HttpResponseMessage verified = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify", actor = "operator-1" });
                        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
                        cases[id] = 2;
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToArray();

            // Past at least two checkpoints, so stored states hold readings as well as the log.
            await TestWait.UntilAsync(() => acknowledged.Count >= 2_000 && server.Output.Split("Checkpoint:").Length > 2 || acknowledged.Count >= 20_000, TimeSpan.FromSeconds(60));
            using (HttpResponseMessage alarm = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = alarmSensor, value = 100.0, unit = "%LEL", at = start.AddDays(1) } }))
            {
                Assert.Equal(HttpStatusCode.Accepted, alarm.StatusCode);
                Assert.Equal(1, (await alarm.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
            }

            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        await using (ServerProcess restarted = await ServerProcess.StartAsync(dir.Path, args))
        {
            (HashSet<string> logged, Dictionary<string, (long Count, double Sum)> perSensor) = await LoggedReadings.ReadAsync(restarted.Client);
            string[] missing = acknowledged.Where(id => !logged.Contains(id)).Take(5).ToArray();
            Assert.True(missing.Length == 0, $"{missing.Length}+ acknowledged readings missing after the crash, e.g. {string.Join(", ", missing)}");
            Assert.True(logged.Count >= acknowledged.Count);

            // Each sensor applied each of its logged readings once: as many values, with the same sum, as the log holds.
            foreach ((string sensor, (long count, double sum)) in perSensor)
            {
                JsonElement state = (await restarted.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor}")).GetProperty("properties").GetProperty("state");
                JsonElement statistics = state.GetProperty("statistics");
                Assert.True(count == statistics.GetProperty("count").GetInt64(), $"{sensor}: {count} readings logged, state counts {statistics.GetProperty("count").GetInt64()}");
                Assert.Equal(sum / count, statistics.GetProperty("mean").GetDouble(), 6);
            }

            // Each vehicle recorded each of its logged positions once.
            var positions = new Dictionary<string, long>();
            long? after = null;
            do
            {
                JsonElement page = await restarted.Client.GetFromJsonAsync<JsonElement>($"api/events?kind=position&limit=10000{(after is null ? "" : $"&after={after}")}");
                foreach (JsonElement e in page.GetProperty("items").EnumerateArray())
                {
                    string key = e.GetProperty("key").GetString()!;
                    positions[key] = positions.GetValueOrDefault(key) + 1;
                }

                after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
            }
            while (after is not null);

            Assert.NotEmpty(positions);
            foreach ((string vehicle, long count) in positions)
            {
                long recorded = (await restarted.Client.GetFromJsonAsync<JsonElement>($"api/entities/vehicle/{vehicle}"))
                    .GetProperty("properties").GetProperty("state").GetProperty("trajectory").GetProperty("recorded").GetInt64();
                Assert.True(count == recorded, $"{vehicle}: {count} positions logged, state recorded {recorded}");
            }

            // Every acknowledged case step is in its case (a step in flight at the kill may be there too), and each step
            // the case holds was logged.
            Assert.NotEmpty(cases);
            foreach ((string id, int steps) in cases)
            {
                using HttpResponseMessage found = await restarted.Client.GetAsync($"api/cases/{id}");
                Assert.True(found.StatusCode == HttpStatusCode.OK, $"acknowledged case {id} is gone: {(int)found.StatusCode}");
                JsonElement c = await found.Content.ReadFromJsonAsync<JsonElement>();
                string[] timeline = c.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray();
                Assert.True(timeline.Length >= steps, $"case {id}: {steps} steps acknowledged, {timeline.Length} kept");
                Assert.Equal(new[] { "report", "verify" }.Take(timeline.Length), timeline);
                Assert.Equal(timeline.Length == 2 ? "verified" : "reported", c.GetProperty("status").GetString());
                JsonElement events = await restarted.Client.GetFromJsonAsync<JsonElement>($"api/events?key={id}");
                Assert.True(events.GetProperty("items").GetArrayLength() >= timeline.Length, $"case {id} holds {timeline.Length} steps, the log {events.GetProperty("items").GetArrayLength()}");
            }

            JsonElement caseList = await restarted.Client.GetFromJsonAsync<JsonElement>("api/cases?category=road-damage&pageSize=1");
            Assert.True(caseList.GetProperty("total").GetInt32() >= cases.Count, $"the case list holds {caseList.GetProperty("total").GetInt32()} of {cases.Count} acknowledged cases");

            // The alarm acknowledged just before the kill holds its sensor and its building in alarm after the restart.
            JsonElement sensorState = (await restarted.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{alarmSensor}")).GetProperty("properties").GetProperty("state");
            Assert.True(sensorState.GetProperty("inAlarm").GetBoolean(), $"{alarmSensor} lost its alarm: {sensorState}");
            Assert.Equal(100.0, sensorState.GetProperty("lastValue").GetDouble());
            JsonElement building = (await restarted.Client.GetFromJsonAsync<JsonElement>($"api/entities/building/{alarmBuilding}")).GetProperty("properties");
            JsonElement buildingState = building.GetProperty("state");
            Assert.Equal("alarm", building.GetProperty("status").GetString());
            Assert.True(buildingState.GetProperty("alarmedSensors").TryGetProperty(alarmSensor, out _), $"{alarmBuilding} lost the alarm of {alarmSensor}: {buildingState}");

            Assert.Contains("inputs replayed from the event log", restarted.Output);
        }
    }
}
