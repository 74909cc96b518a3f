using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// A bounded, seeded fuzz run over the real HTTP host: randomised telemetry, case, transition, scenario, replay and
/// model bodies (extreme numbers, wrong types, unknown names, over-long and non-Unicode text, truncated JSON). Never a
/// 5xx, never a request past its deadline, never NaN or Infinity in an answer, the managed heap bounded, and the twin
/// still answers correctly afterwards. Alone (<see cref="FuzzCollection"/>): the heap it bounds is the test process's,
/// and other classes running beside it would count theirs in.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(FuzzTests.Server server) : IClassFixture<FuzzTests.Server>
{
    private const int Seed = 16, Requests = 480, Concurrency = 4;

    // Generous, so a busy shared machine does not fail the test; a request that hangs (the defect) never ends at all.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string[] Numbers =
        ["0", "-0", "1", "-1", "0.5", "12.5", "1e308", "-1e308", "1e-308", "5e-324", "1e20", "-1e20", "99999999999999999999", "1.7976931348623157e308", "\"NaN\"", "\"Infinity\"", "true", "null", "\"12\"", "[]", "{}"];

    private static readonly string[] Texts =
        ["\"\"", "\"x\"", "\"system:auto-verify\"", "\"\\ud800\"", "\"\\u0000\"", "\"%00\"", "\"../../etc/passwd\"", "\"https://photos.example/a.jpg\"", "\"javascript:alert(1)\"", "null", "42", "[]"];

    [Fact]
    public async Task Random_bodies_never_get_a_5xx_or_hang_and_leave_the_twin_answering_correctly()
    {
        string[] sensors = [.. server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).Take(50).Select(s => s.Id)];
        string[] responders = [.. server.Directory.OfType(EntityType.Responder).OrderBy(r => r.Id, StringComparer.Ordinal).Take(5).Select(r => r.Id)];
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        string[] cases = new string[5];
        for (int i = 0; i < cases.Length; i++)
        {
            cases[i] = await ReportAsync(building.Position.Lon, building.Position.Lat);
        }

        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var random = new Random(Seed);
        (string Path, byte[] Body)[] requests = [.. Enumerable.Range(0, Requests).Select(_ => Next(random, sensors, responders, cases))];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                (string path, byte[] body) = requests[i];
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var deadline = new CancellationTokenSource(Deadline);
                try
                {
                    using HttpResponseMessage response = await planner.PostAsync(path, content, deadline.Token);
                    string text = await response.Content.ReadAsStringAsync(deadline.Token);
                    bool named = response.IsSuccessStatusCode && (text.Contains("Infinity", StringComparison.Ordinal) || text.Contains("NaN", StringComparison.Ordinal));
                    if ((int)response.StatusCode >= 500 || named)
                    {
                        string sent = Encoding.UTF8.GetString(body);
                        failures.Enqueue($"#{i} POST {path} {sent[..Math.Min(300, sent.Length)]} -> {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
                    }
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    failures.Enqueue($"#{i} POST {path} did not answer within {Deadline.TotalSeconds:0} s");
                }
            }
        })));

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));

        // Runs the fuzz started are cancelled; what they held is released before the heap is measured.
        JsonElement runs = await planner.GetFromJsonAsync<JsonElement>("api/scenarios/runs");
        foreach (JsonElement run in runs.GetProperty("runs").EnumerateArray())
        {
            (await planner.DeleteAsync($"api/scenarios/runs/{run.GetProperty("id").GetString()}")).Dispose();
        }

        await AsyncWait.UntilAsync(async () => (await planner.GetFromJsonAsync<JsonElement>("api/scenarios/runs")).GetProperty("runs").EnumerateArray()
            .All(r => r.GetProperty("status").GetString() is not ("queued" or "running")), TimeSpan.FromSeconds(60), "every run ended");
        foreach (JsonElement run in (await planner.GetFromJsonAsync<JsonElement>("api/scenarios/runs")).GetProperty("runs").EnumerateArray())
        {
            // A run's report, however far it got, is finite JSON.
            using HttpResponseMessage report = await planner.GetAsync($"api/scenarios/runs/{run.GetProperty("id").GetString()}");
            string text = await report.Content.ReadAsStringAsync();
            Assert.True(report.StatusCode == HttpStatusCode.OK && !text.Contains("NaN", StringComparison.Ordinal) && !text.Contains("Infinity", StringComparison.Ordinal), text);
        }

        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(heapGrowth < 512L << 20, $"the managed heap grew by {heapGrowth >> 20} MB");

        // The twin still takes and shows a reading, runs the case loop and summarises its sensors.
        EntitySummary rain = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First(s => s.Kind == nameof(SensorKind.Rain));
        using (HttpResponseMessage posted = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = rain.Id, value = 3.25, at = DateTimeOffset.UtcNow } }))
        {
            Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        }

        JsonElement state = (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{rain.Id}")).GetProperty("properties").GetProperty("state");
        Assert.Equal(3.25, state.GetProperty("lastValue").GetDouble());
        string id = await ReportAsync(building.Position.Lon, building.Position.Lat);
        using (HttpResponseMessage verified = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify" }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        string vitals = await server.Client.GetStringAsync("api/areas/district/vitals");
        Assert.DoesNotContain("NaN", vitals, StringComparison.Ordinal);
        Assert.Equal("ok", (await server.Client.GetFromJsonAsync<JsonElement>("health")).GetProperty("status").GetString());
    }

    private static (string Path, byte[] Body) Next(Random r, string[] sensors, string[] responders, string[] cases)
    {
        (string path, string json) = r.Next(7) switch
        {
            0 or 1 => ("api/telemetry", List(r, 20, () => Fields(r,
                ("sensorId", () => r.Next(4) == 0 ? Pick(r, Texts) : Quote(Pick(r, sensors))),
                ("value", () => Number(r)),
                ("unit", () => Pick(r, ["null", "\"m\"", "\"battery%\"", "\"mm/h\"", Quote(new string('u', r.Next(0, 64)))])),
                ("at", () => Pick(r, [Quote(DateTimeOffset.UtcNow.ToString("O")), "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"2026-13-45\"", "0", "null"]))))),
            2 => ("api/cases", Fields(r,
                ("category", () => Pick(r, ["\"noise\"", "\"road-damage\"", "\"illegal-construction\"", "\"spaceship\"", "null", "1"])),
                ("location", () => r.Next(3) == 0 ? $"[{Number(r)},{Number(r)}]" : $"{{\"lon\":{Number(r)},\"lat\":{Number(r)}}}"),
                ("source", () => Pick(r, ["\"citizen\"", "\"hotline\"", "\"drone\"", "\"pigeon\"", "7"])),
                ("area", () => List(r, 6, () => $"[{Number(r)},{Number(r)}]")),
                ("description", () => r.Next(5) == 0 ? Quote(new string('d', r.Next(3_000, 6_000))) : Pick(r, Texts)),
                ("reporter", () => Pick(r, Texts)),
                ("photoUrls", () => List(r, 25, () => Pick(r, Texts))),
                ("contact", () => $"{{\"name\":{Pick(r, Texts)},\"phone\":{Pick(r, Texts)}}}"))),
            3 => ($"api/cases/{Pick(r, cases)}/transitions", Fields(r,
                ("action", () => Pick(r, ["\"verify\"", "\"reject\"", "\"dispatch\"", "\"accept\"", "\"start\"", "\"resolve\"", "\"close-on-spot\"", "\"explode\"", "null"])),
                ("actor", () => Pick(r, Texts)),
                ("note", () => Pick(r, Texts)),
                ("evidence", () => List(r, 3, () => Pick(r, Texts))),
                ("assignee", () => r.Next(2) == 0 ? Quote(Pick(r, responders)) : Pick(r, Texts)),
                ("expectedSequence", () => Number(r)))),
            4 => ("api/scenarios/runs", r.Next(4) == 0
                ? Fields(r, ("stock", () => Pick(r, ["\"gas-leak\"", "\"nope\"", "1", "null"])), ("snapshot", () => Pick(r, Texts)))
                : "{\"definition\":" + Definition(r) + "}"),
            5 => ("api/scenarios/replays", Fields(r,
                ("from", () => Pick(r, ["\"2026-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"", Quote(DateTimeOffset.UtcNow.AddHours(-1).ToString("O")), "\"yesterday\"", "null"])),
                ("to", () => Pick(r, ["\"2026-01-01T01:00:00Z\"", "\"9999-01-01T00:00:00Z\"", Quote(DateTimeOffset.UtcNow.ToString("O")), "5"])),
                ("speed", () => Number(r)))),
            _ => r.Next(2) == 0
                ? ("api/models/scs-runoff", Fields(r, ("rainfallMm", () => Number(r)), ("curveNumber", () => Number(r))))
                : ("api/models/gaussian-plume", Fields(r,
                    ("sourceRateGps", () => Number(r)), ("sourceHeightM", () => Number(r)), ("windSpeedMps", () => Number(r)),
                    ("stability", () => Pick(r, ["\"A\"", "\"F\"", "\"G\"", "1"])), ("dispersion", () => Pick(r, ["\"briggs-urban\"", "\"x\""])),
                    ("receptors", () => List(r, 5, () => Fields(r, ("downwindM", () => Number(r)), ("crosswindM", () => Number(r)), ("heightM", () => Number(r))))))),
        };

        byte[] body = Encoding.UTF8.GetBytes(json);
        int mangle = r.Next(10);
        if (mangle == 0)
        {
            // Truncated JSON.
            return (path, body[..r.Next(body.Length + 1)]);
        }

        if (mangle == 1 && body.Length > 2)
        {
            // A byte that is not UTF-8 in the middle.
            byte[] broken = [.. body[..(body.Length / 2)], 0xFF, .. body[(body.Length / 2)..]];
            return (path, broken);
        }

        return (path, body);
    }

    private static string Definition(Random r) => Fields(r,
        ("kind", () => Pick(r, ["\"event-chain\"", "\"heavy-rainfall\"", "\"gas-leak\"", "\"drill\"", "\"volcano\""])),
        ("duration", () => Duration(r)),
        ("reportEvery", () => Duration(r)),
        ("rainfall", () => Fields(r, ("interval", () => Duration(r)), ("duration", () => Duration(r)), ("peakRatio", () => Number(r)), ("depthMm", () => Number(r)))),
        ("gas", () => Fields(r, ("rateGps", () => Number(r)), ("sourceHeightM", () => Number(r)), ("wind", () => "{\"speedMps\":" + Number(r) + "}"))),
        ("timeline", () => List(r, 5, () => Fields(r,
            ("at", () => Duration(r)), ("type", () => Pick(r, ["\"note\"", "\"reading\"", "\"x\""])), ("text", () => Pick(r, Texts)), ("value", () => Number(r))))));

    private static string Fields(Random r, params (string Name, Func<string> Value)[] fields) =>
        "{" + string.Join(",", fields.Where(_ => r.Next(6) != 0).Select(f => $"\"{f.Name}\":{f.Value()}")) + "}";

    private static string List(Random r, int most, Func<string> item) => "[" + string.Join(",", Enumerable.Range(0, r.Next(most + 1)).Select(_ => item())) + "]";

    private static string Number(Random r) => r.Next(3) == 0
        ? ((r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-20, 309))).ToString("R", CultureInfo.InvariantCulture)
        : Pick(r, Numbers);

    private static string Duration(Random r) => Pick(r, ["\"PT1H\"", "\"PT10M\"", "\"PT0.0000001S\"", "\"P365D\"", "\"-PT1H\"", "\"P99999999D\"", "\"soon\"", "0"]);

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static string Pick(Random r, IReadOnlyList<string> items) => items[r.Next(items.Count)];

    private async Task<string> ReportAsync(double lon, double lat)
    {
        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon, lat } });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The test server with one scenario slot and one place in the queue, so fuzzed runs cannot pile up.</summary>
    public sealed class Server : TwinServerFixture
    {
        /// <inheritdoc />
        protected override string[] ExtraArgs => ["--Scenarios:MaxConcurrentRuns", "1", "--Scenarios:MaxQueuedRuns", "1"];
    }
}

/// <summary>The fuzz run's collection: run by itself, after the parallel classes, so its heap measurement is its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "fuzz, alone";
}
