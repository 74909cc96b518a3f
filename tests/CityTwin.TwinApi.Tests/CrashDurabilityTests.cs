using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// An input is acknowledged only after its event-log append committed: the real executable is killed with SIGKILL
/// while inputs stream in, and after a restart every acknowledged input is in the log and the sensors' state reflects
/// every logged reading exactly once (stored states from the last checkpoint, the rest replayed from the log).
/// </summary>
public sealed class CrashDurabilityTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_SIGKILL_no_acknowledged_reading_is_missing_from_the_log_or_the_sensors_state(string store)
    {
        using var dir = new TempDirectory();
        await using PostgresDatabase? db = store == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        // Checkpoints every second: the kill falls between them, so some readings are in stored states and the rest must be replayed.
        string[] args = store == "postgres"
            ? ["--store", "postgres", "--connection", db!.ConnectionString, "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:01"]
            : ["--store", "sqlite", "--connection", dir.Combine("twin.db"), "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:01"];

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var start = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        await using (ServerProcess server = await ServerProcess.StartAsync(dir.Path, args))
        {
            JsonElement sensorPage = await server.Client.GetFromJsonAsync<JsonElement>("api/entities?type=sensor&pageSize=1000");
            string[] sensors = sensorPage.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToArray();
            Assert.NotEmpty(sensors);
            long sequence = 0;
            using var stop = new CancellationTokenSource();
            Task[] senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // Every reading has its own timestamp, so (sensor, at) identifies it in the log.
                    var readings = Enumerable.Range(0, 100).Select(_ =>
                    {
                        long n = Interlocked.Increment(ref sequence);
                        return new { sensorId = sensors[n % sensors.Length], value = (double)n, at = start.AddMilliseconds(n) };
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
            })).ToArray();

            // Past at least two checkpoints, so stored states hold readings as well as the log.
            await TestWait.UntilAsync(() => acknowledged.Count >= 2_000 && server.Output.Split("Checkpoint:").Length > 2 || acknowledged.Count >= 20_000, TimeSpan.FromSeconds(60));
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

            Assert.Contains("inputs replayed from the event log", restarted.Output);
        }
    }
}
