using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Silo;
using CityTwin.TestSupport;
using Xunit.Abstractions;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Three real citytwin processes forming one cluster on a real PostgreSQL (--cluster), on loopback: a change through one
/// silo is seen in queries and pushes through another; a scenario run started through one silo is read through another;
/// cases dispatched at once through different silos never share a vehicle; telemetry spread over the three survives the SIGKILL of the silo
/// that hosts the grains (every acknowledged reading in the log, every logged reading applied exactly once, queries
/// through the survivors complete); the killed silo restarts, rejoins and takes grains again.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    // How long any one step may take before the test gives up: generous, since the machine may be busy.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Three_silos_serve_alike_lose_nothing_when_one_is_killed_and_it_rejoins()
    {
        using var dir = new TempDirectory();
        await using PostgresDatabase db = await PostgresDatabase.CreateAsync();
        int[] siloPorts = [SiloSetup.FreeLoopbackPort(), SiloSetup.FreeLoopbackPort(), SiloSetup.FreeLoopbackPort()];
        string[] Args(int i) =>
        [
            "--store", "postgres", "--connection", db.ConnectionString, "--cluster", "test-cluster", "--silo-port", siloPorts[i].ToString(),
            "--Silo:Name", $"silo{i + 1}", "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:01",
        ];

        // The first silo loads the district, so its grains all live there: killing it loses every activation.
        var silos = new ServerProcess?[3];
        try
        {
            // One after the other: silos started together would join one at a time anyway (the startup lock), and each
            // start's wait for health would then include the others'.
            var starting = Stopwatch.StartNew();
            for (int i = 0; i < silos.Length; i++)
            {
                silos[i] = await ServerProcess.StartAsync(dir.Path, Patience, Args(i));
                output.WriteLine($"silo{i + 1} ready after {starting.Elapsed.TotalSeconds:0.0} s");
            }

            await WaitForSilosAsync(silos!, 3);

            string[] sensors = await SensorIdsAsync(silos[0]!);
            foreach (ServerProcess? s in silos)
            {
                Assert.Equal(sensors, await SensorIdsAsync(s!));
            }

            // A scenario run started through one silo is read through another while it runs and when it has finished.
            using HttpRequestMessage startRun = Planner(HttpMethod.Post, "api/scenarios/runs", new { stock = "gas-leak" });
            using HttpResponseMessage accepted = await silos[1]!.Client.SendAsync(startRun);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            string runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
            JsonElement early = await PlannerGetAsync(silos[2]!, $"api/scenarios/runs/{runId}");
            Assert.Equal(runId, early.GetProperty("id").GetString());

            await CasesReportedThroughOneSiloAreListedThroughAllAsync(silos!);
            await VehiclesAreClaimedByOneCaseAcrossSilosAsync(silos!);
            await RunReadsAlikeThroughAnySiloAsync(silos[1]!, silos[2]!, runId);

            // Sensors kept for the staleness probe, which must be the only one to change them.
            Dictionary<string, (double Lon, double Lat)> probed = await ProbeSensorsAsync(silos[2]!);
            string[] loaded = sensors.Where(id => !probed.ContainsKey(id)).ToArray();

            // Telemetry spread over the three silos, each reading with its own timestamp so (sensor, at) names it in the log.
            var acknowledged = new ConcurrentBag<string>();
            long sequence = 0;
            using var stopAll = new CancellationTokenSource();
            using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(stopAll.Token);
            var ingest = Stopwatch.StartNew();
            Task[] senders = silos.Select((s, i) => SendAsync(s!, i == 0 ? stopFirst.Token : stopAll.Token)).ToArray();

            async Task SendAsync(ServerProcess silo, CancellationToken stop)
            {
                while (!stop.IsCancellationRequested)
                {
                    var readings = Enumerable.Range(0, 100).Select(_ =>
                    {
                        long n = Interlocked.Increment(ref sequence);
                        // 0 or 1: within the physical range of every sensor kind, so the twin accepts every reading.
                        return new { sensorId = loaded[n % loaded.Length], value = (double)(n / loaded.Length % 2), at = Start.AddMilliseconds(n) };
                    }).ToArray();
                    try
                    {
                        using HttpResponseMessage r = await silo.Client.PostAsJsonAsync("api/telemetry", readings, CancellationToken.None);
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
                        return; // the silo is gone: this batch was never acknowledged
                    }
                }
            }

            // Under that load, a change through one silo shows through another.
            await ChangesThroughOneSiloShowThroughAnotherAsync(silos[1]!, silos[2]!, probed);

            // Past a checkpoint that moved the replay mark, so stored states hold some readings and the log the rest.
            await TestWait.UntilAsync(() => silos.Any(s => s!.Output.Contains("replay mark at seq", StringComparison.Ordinal)) && acknowledged.Count >= 5_000, Patience, "a checkpoint during ingest");
            int beforeKill = acknowledged.Count;
            var sinceKill = Stopwatch.StartNew();
            await silos[0]!.KillAsync();
            await stopFirst.CancelAsync();

            // The survivors keep taking telemetry while the cluster notices.
            await TestWait.UntilAsync(() => acknowledged.Count >= beforeKill + 3_000, Patience, "ingest through the survivors");
            await stopAll.CancelAsync();
            await Task.WhenAll(senders);
            ingest.Stop();
            output.WriteLine($"ingest: {acknowledged.Count} readings acknowledged in {ingest.Elapsed.TotalSeconds:0.0} s ({acknowledged.Count / ingest.Elapsed.TotalSeconds:0} readings/s over three, then two silos)");

            ServerProcess[] survivors = [silos[1]!, silos[2]!];
            await WaitForSilosAsync(survivors, 2);
            output.WriteLine($"killed silo declared dead after {sinceKill.Elapsed.TotalSeconds:0.0} s");
            await TestWait.UntilAsync(() => survivors.Any(s => s.Output.Contains("inputs replayed from the event log", StringComparison.Ordinal) && s.Output.Contains("Recovery after silo", StringComparison.Ordinal)), Patience, "the replay after the silo died");
            output.WriteLine($"recovered (log replayed) after {sinceKill.Elapsed.TotalSeconds:0.0} s");
            foreach (ServerProcess s in survivors)
            {
                await UntilAsync(async () => (await HealthAsync(s)).GetProperty("telemetry").GetProperty("backlog").GetInt64() == 0, "the survivors' delivery backlog to drain");
            }

            // Queries through the survivors are complete, and the state matches the log exactly.
            foreach (ServerProcess s in survivors)
            {
                Assert.Equal(sensors, await SensorIdsAsync(s));
            }

            await LogAndStateAgreeAsync(survivors[0], survivors[1], acknowledged);

            // The killed silo restarts on its port, rejoins, serves complete queries and takes new grains.
            await silos[0]!.DisposeAsync();
            silos[0] = null;
            silos[0] = await ServerProcess.StartAsync(dir.Path, Patience, Args(0));
            await WaitForSilosAsync(silos!, 3);
            Assert.Equal(sensors, await SensorIdsAsync(silos[0]!));
            int activationsBefore = (await HealthAsync(silos[0]!)).GetProperty("silo").GetProperty("activations").GetInt32();
            for (int i = 0; i < 30; i++)
            {
                using HttpResponseMessage r = await silos[0]!.Client.PostAsJsonAsync("api/cases", new { category = "noise", source = "citizen", location = new { lon = 104.06, lat = 30.66 }, description = $"rejoin {i}" });
                Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            }

            int activationsAfter = (await HealthAsync(silos[0]!)).GetProperty("silo").GetProperty("activations").GetInt32();
            Assert.True(activationsAfter > activationsBefore, $"the rejoined silo hosts no new grain ({activationsBefore} activations before 30 new cases, {activationsAfter} after)");
        }
        finally
        {
            foreach (ServerProcess? s in silos)
            {
                if (s is not null)
                {
                    await s.DisposeAsync();
                }
            }
        }
    }

    // A reading posted through one silo, to a sensor whose grain lives on the first, shows in an entity query through
    // another silo and reaches a hub client connected to it; prints the staleness.
    // Sensors that measure a quantity (not buttons, cameras, parking bays or meter counters), so any small value is a reading.
    private static async Task<Dictionary<string, (double Lon, double Lat)>> ProbeSensorsAsync(ServerProcess silo)
    {
        string[] excluded = ["SosButton", "AiCamera", "Parking", "WaterMeter"];
        JsonElement page = await silo.Client.GetFromJsonAsync<JsonElement>("api/entities?type=sensor&pageSize=1000");
        Dictionary<string, (double Lon, double Lat)> positions = page.GetProperty("features").EnumerateArray()
            .Where(f => !excluded.Contains(f.GetProperty("properties").GetProperty("kind").GetString(), StringComparer.OrdinalIgnoreCase))
            .Take(40)
            .ToDictionary(
                f => f.GetProperty("id").GetString()!,
                f => (f.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), f.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble()));
        Assert.NotEmpty(positions);
        return positions;
    }

    // A reading posted through one silo, to a sensor whose grain lives on the first, shows in an entity query through
    // another silo and reaches a hub client connected to it; prints the staleness.
    private async Task ChangesThroughOneSiloShowThroughAnotherAsync(ServerProcess writer, ServerProcess reader, Dictionary<string, (double Lon, double Lat)> positions)
    {
        await using SignalRTestClient hub = await SignalRTestClient.ConnectAsync(new Uri(reader.Address, "hubs/twin"), "demo-operator-key");
        await hub.SubscribeAsync(new { areaId = "district", channels = new[] { "entityChanged" } });
        string[] sensors = [.. positions.Keys.Order(StringComparer.Ordinal)];

        var staleness = new List<double>();
        for (int i = 0; i < 40; i++)
        {
            string sensor = sensors[i % sensors.Length];
            double value = 10 + (i / 10.0);
            using HttpResponseMessage posted = await writer.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = sensor, value, at = Start.AddMinutes(-10).AddSeconds(i) } });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
            var since = Stopwatch.StartNew();
            (double lon, double lat) = positions[sensor];
            await UntilAsync(
                async () =>
                {
                    JsonElement near = await reader.Client.GetFromJsonAsync<JsonElement>(FormattableString.Invariant($"api/entities?type=sensor&near={lon},{lat}&radius=1&pageSize=1000"));
                    return near.GetProperty("features").EnumerateArray().Any(f => f.GetProperty("id").GetString() == sensor
                        && f.GetProperty("properties").TryGetProperty("value", out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() == value);
                },
                $"reading {value} of {sensor} in a query through the other silo",
                pollMilliseconds: 2);
            staleness.Add(since.Elapsed.TotalMilliseconds);
            await hub.WaitForPushAsync(
                p => p.Method == "entityChanged" && p.Argument.GetProperty("id").GetString() == sensor
                    && p.Argument.TryGetProperty("value", out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() == value,
                Patience,
                $"the push of {sensor}'s reading {value} to a client of the other silo");
        }

        staleness.Sort();
        output.WriteLine($"cross-silo staleness under ingest (posted through one silo, queried through another, {staleness.Count} readings): p50 {Percentile(staleness, 0.50):0.0} ms, p99 {Percentile(staleness, 0.99):0.0} ms, max {staleness[^1]:0.0} ms");
    }

    // Runs live on the silo they were started through; another silo lists the run and shows its progress and, once it has
    // finished, the same result.
    private static async Task RunReadsAlikeThroughAnySiloAsync(ServerProcess owner, ServerProcess other, string runId)
    {
        var seen = new List<double>();
        JsonElement run;
        DateTime deadline = DateTime.UtcNow + Patience;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} not finished within {Patience}");
            await Task.Delay(100);
            run = await PlannerGetAsync(other, $"api/scenarios/runs/{runId}");
            seen.Add(run.GetProperty("progress").GetDouble());
        }
        while (run.GetProperty("status").GetString() is "queued" or "running");

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(seen, seen.Order());
        Assert.True(run.GetProperty("result").GetProperty("timeline").GetArrayLength() > 0, run.ToString());
        Assert.Equal((await PlannerGetAsync(owner, $"api/scenarios/runs/{runId}")).GetProperty("result").ToString(), run.GetProperty("result").ToString());
        Assert.Contains((await PlannerGetAsync(other, "api/scenarios/runs")).GetProperty("runs").EnumerateArray(), r => r.GetProperty("id").GetString() == runId);
    }

    // Cases verified at once through the three silos each auto-dispatch a patrol car: a car goes to one case only. Each car
    // has a case where it stands (within every search radius, and the nearest unit to it), so every car is claimed.
    private static async Task VehiclesAreClaimedByOneCaseAcrossSilosAsync(ServerProcess?[] silos)
    {
        JsonElement vehicles = await silos[0]!.Client.GetFromJsonAsync<JsonElement>("api/entities?type=vehicle&pageSize=1000");
        JsonElement[] places = [.. vehicles.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "PatrolCar")
            .Select(f => f.GetProperty("geometry").GetProperty("coordinates"))];
        int cars = places.Length;
        Assert.True(cars >= 2, $"the district has {cars} patrol cars");
        var ids = new List<string>();
        for (int i = 0; i < cars + 2; i++)
        {
            JsonElement at = places[i % cars];
            using HttpResponseMessage r = await silos[i % 3]!.Client.PostAsJsonAsync("api/cases", new { category = "illegal-parking", source = "citizen", location = new { lon = at[0].GetDouble(), lat = at[1].GetDouble() }, description = $"claim {i}" });
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            ids.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        JsonElement[] verified = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            using HttpResponseMessage r = await silos[i % 3]!.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify", actor = "dispatcher-1" });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return await r.Content.ReadFromJsonAsync<JsonElement>();
        }));
        string[] assigned = [.. verified.Where(c => c.GetProperty("status").GetString() == "dispatched").Select(c => c.GetProperty("assignee").GetString()!)];
        Assert.True(cars == assigned.Length, $"{cars} patrol cars, {assigned.Length} cases dispatched: {string.Join("; ", verified.Select(c => c.ToString()))}");
        Assert.Equal(cars, assigned.Distinct(StringComparer.Ordinal).Count());
    }

    private static HttpRequestMessage Planner(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", "demo-planner-key");
        return request;
    }

    private static async Task<JsonElement> PlannerGetAsync(ServerProcess silo, string path)
    {
        using HttpRequestMessage request = Planner(HttpMethod.Get, path);
        using HttpResponseMessage r = await silo.Client.SendAsync(request);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET {path} through {silo.Address}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task CasesReportedThroughOneSiloAreListedThroughAllAsync(ServerProcess?[] silos)
    {
        using HttpResponseMessage r = await silos[1]!.Client.PostAsJsonAsync("api/cases", new { category = "noise", source = "citizen", location = new { lon = 104.06, lat = 30.66 }, description = "reported through silo 2" });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        string id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (ServerProcess? s in silos)
        {
            await UntilAsync(
                async () => (await s!.Client.GetFromJsonAsync<JsonElement>("api/cases?pageSize=200")).GetProperty("items").EnumerateArray().Any(c => c.GetProperty("id").GetString() == id),
                $"case {id} in the list of every silo");
        }
    }

    // Every acknowledged reading is in the log, and each sensor's state (read through a survivor, its grain active on one
    // of them) reflects each of its logged readings exactly once: as many values, with the same mean.
    private static async Task LogAndStateAgreeAsync(ServerProcess logReader, ServerProcess stateReader, ConcurrentBag<string> acknowledged)
    {
        (HashSet<string> logged, Dictionary<string, (long Count, double Sum)> perSensor) = await LoggedReadings.ReadAsync(logReader.Client);
        string[] missing = acknowledged.Where(id => !logged.Contains(id)).Take(5).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length}+ acknowledged readings missing from the log, e.g. {string.Join(", ", missing)}");
        foreach ((string sensor, (long count, double sum)) in perSensor)
        {
            JsonElement statistics = (await stateReader.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor}"))
                .GetProperty("properties").GetProperty("state").GetProperty("statistics");
            Assert.True(count == statistics.GetProperty("count").GetInt64(), $"{sensor}: {count} readings logged, its state counts {statistics.GetProperty("count").GetInt64()}");
            Assert.Equal(sum / count, statistics.GetProperty("mean").GetDouble(), 6);
        }
    }

    // Until every silo given sees exactly `count` active silos.
    private static async Task WaitForSilosAsync(IReadOnlyList<ServerProcess> silos, int count)
    {
        foreach (ServerProcess s in silos)
        {
            await UntilAsync(async () => (await HealthAsync(s)).GetProperty("cluster").GetProperty("silos").GetArrayLength() == count, $"{count} active silos seen by {s.Address}");
        }
    }

    private static async Task<string[]> SensorIdsAsync(ServerProcess silo)
    {
        var ids = new List<string>();
        for (int page = 1; ; page++)
        {
            JsonElement fc = await silo.Client.GetFromJsonAsync<JsonElement>($"api/entities?type=sensor&pageSize=1000&page={page}");
            int before = ids.Count;
            ids.AddRange(fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            if (ids.Count - before < 1000)
            {
                return [.. ids.Order(StringComparer.Ordinal)];
            }
        }
    }

    private static async Task<JsonElement> HealthAsync(ServerProcess silo) => await silo.Client.GetFromJsonAsync<JsonElement>("health");

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, int pollMilliseconds = 100)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} not reached within {Patience}");
            }

            await Task.Delay(pollMilliseconds);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
