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
/// Two real citytwin silos clustered on a PostgreSQL server of the test's own, with telemetry flowing through both, while
/// that server is stopped for 10 s: callers get 503 problem+json with Retry-After (never a 500, never a hang), the silos
/// stay up and stay one cluster, ingest resumes when the server is back, and every acknowledged reading is in the event
/// log and applied exactly once.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    // Longer than a request may take while the database is down (Npgsql is refused at once on loopback).
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Ingest_answers_503_while_PostgreSQL_is_down_and_loses_nothing_acknowledged()
    {
        using var dir = new TempDirectory();
        await using PrivatePostgresServer server = await PrivatePostgresServer.StartAsync();
        await using PostgresDatabase db = await server.CreateDatabaseAsync();
        int[] siloPorts = [SiloSetup.FreeLoopbackPort(), SiloSetup.FreeLoopbackPort()];
        var silos = new ServerProcess?[2];
        var starting = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < silos.Length; i++)
            {
                silos[i] = await ServerProcess.StartAsync(dir.Path, Patience,
                    "--store", "postgres", "--connection", db.ConnectionString, "--cluster", "outage-cluster", "--silo-port", siloPorts[i].ToString(),
                    "--Silo:Name", $"silo{i + 1}", "--District:Buildings", "30", "--Silo:CheckpointInterval", "00:00:01");
            }

            await WaitForSilosAsync(silos!, 2);
            output.WriteLine($"PostgreSQL and two silos ready after {starting.Elapsed.TotalSeconds:0.0} s");
            JsonElement page = await silos[0]!.Client.GetFromJsonAsync<JsonElement>("api/entities?type=sensor&pageSize=1000");
            string[] sensors = [.. page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];

            // Each reading has a timestamp of its own, so "sensor|unix ms" names it in the log.
            var acknowledged = new ConcurrentDictionary<string, double>();
            var answers = new ConcurrentQueue<Answer>();
            long sequence = 0;
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            Task[] senders = silos.Select(s => SendAsync(s!)).ToArray();

            async Task SendAsync(ServerProcess silo)
            {
                while (!stop.IsCancellationRequested)
                {
                    var readings = Enumerable.Range(0, 50).Select(_ =>
                    {
                        long n = Interlocked.Increment(ref sequence);
                        // 0 or 1: within the physical range of every sensor kind.
                        return new { sensorId = sensors[n % sensors.Length], value = (double)(n / sensors.Length % 2), at = Start.AddMilliseconds(n) };
                    }).ToArray();
                    TimeSpan sent = clock.Elapsed;
                    using var bound = new CancellationTokenSource(AnswerBound);
                    HttpStatusCode status;
                    try
                    {
                        using HttpResponseMessage r = await silo.Client.PostAsJsonAsync("api/telemetry", readings, bound.Token);
                        status = r.StatusCode;
                        if (status == HttpStatusCode.Accepted)
                        {
                            Assert.Equal(readings.Length, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
                            foreach (var x in readings)
                            {
                                acknowledged[$"{x.sensorId}|{x.at.ToUnixTimeMilliseconds()}"] = x.value;
                            }
                        }
                        else if (status == HttpStatusCode.ServiceUnavailable)
                        {
                            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
                            Assert.True(r.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero, "a 503 without Retry-After");
                        }
                    }
                    catch (OperationCanceledException) when (bound.IsCancellationRequested)
                    {
                        status = HttpStatusCode.RequestTimeout; // no answer within the bound: a hang
                    }

                    answers.Enqueue(new Answer(sent, clock.Elapsed, status));
                    if (status != HttpStatusCode.Accepted)
                    {
                        await Task.Delay(100); // an impatient client, so the outage sees many requests
                    }
                }
            }

            // Past a checkpoint, so stored states hold some readings before the outage.
            await TestWait.UntilAsync(() => acknowledged.Count >= 3_000 && Checkpoints(silos!) > 0, Patience, "ingest and a checkpoint before the outage");
            await server.StopAsync();
            TimeSpan down = clock.Elapsed;
            var live = new List<HttpStatusCode>();
            while (clock.Elapsed - down < Outage)
            {
                foreach (ServerProcess? s in silos)
                {
                    using HttpResponseMessage r = await s!.Client.GetAsync("health/live");
                    live.Add(r.StatusCode);
                }

                await Task.Delay(500);
            }

            TimeSpan up = clock.Elapsed;
            int checkpointsBeforeReturn = Checkpoints(silos!);
            await server.StartAgainAsync();
            TimeSpan back = clock.Elapsed;

            // Ingest resumes through both silos, and the checkpoint writes again.
            await TestWait.UntilAsync(() => answers.Count(a => a.Sent > back && a.Status == HttpStatusCode.Accepted) >= 10, Patience, "ingest after PostgreSQL came back");
            TimeSpan resumed = answers.Where(a => a.Sent > back && a.Status == HttpStatusCode.Accepted).Min(a => a.Answered) - back;
            await TestWait.UntilAsync(() => Checkpoints(silos!) > checkpointsBeforeReturn, Patience, "a checkpoint after PostgreSQL came back");
            await stop.CancelAsync();
            await Task.WhenAll(senders);

            Answer[] all = [.. answers];
            Answer[] duringOutage = all.Where(a => a.Sent > down && a.Answered < up).ToArray();
            output.WriteLine($"{all.Length} batches: {all.Count(a => a.Status == HttpStatusCode.Accepted)} acknowledged, {all.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)} answered 503; "
                + $"during the {Outage.TotalSeconds:0} s outage {duringOutage.Length} batches, slowest answer {duringOutage.Max(a => a.Answered - a.Sent).TotalMilliseconds:0} ms; "
                + $"first 202 {resumed.TotalSeconds:0.0} s after PostgreSQL was back (its start took {(back - up).TotalSeconds:0.0} s)");
            Assert.All(all, a => Assert.True(a.Status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"a batch sent at {a.Sent} answered {(int)a.Status} ({a.Status})"));
            Assert.True(duringOutage.Length >= 4, $"only {duringOutage.Length} batches sent while PostgreSQL was down");
            Assert.All(duringOutage, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
            Assert.All(live, s => Assert.Equal(HttpStatusCode.OK, s));
            await WaitForSilosAsync(silos!, 2);

            foreach (ServerProcess? s in silos)
            {
                await AsyncWait.UntilAsync(async () => await BacklogAsync(s!) == 0, Patience, "the delivery backlog to drain");
            }

            await LogAndStateAgreeAsync(silos[0]!, silos[1]!, acknowledged);
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

    // Every acknowledged reading is in the log; each sensor's state counts each acknowledged reading once. A reading whose
    // batch was answered 503 may still be in the log (the connection broke after the commit): then it is never applied
    // (it was never delivered), or applied once by a replay; either way no reading counts twice.
    private async Task LogAndStateAgreeAsync(ServerProcess logReader, ServerProcess stateReader, ConcurrentDictionary<string, double> acknowledged)
    {
        (HashSet<string> logged, Dictionary<string, (long Count, double Sum)> perSensor) = await LoggedReadings.ReadAsync(logReader.Client);
        string[] missing = acknowledged.Keys.Where(id => !logged.Contains(id)).Take(5).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length}+ acknowledged readings missing from the log, e.g. {string.Join(", ", missing)}");
        output.WriteLine($"{acknowledged.Count} readings acknowledged, {logged.Count} logged");

        Dictionary<string, (long Count, double Sum)> acked = acknowledged.GroupBy(p => p.Key[..p.Key.LastIndexOf('|')])
            .ToDictionary(g => g.Key, g => ((long)g.Count(), g.Sum(p => p.Value)));
        foreach ((string sensor, (long count, double sum)) in acked)
        {
            JsonElement statistics = (await stateReader.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor}"))
                .GetProperty("properties").GetProperty("state").GetProperty("statistics");
            long applied = statistics.GetProperty("count").GetInt64();
            (long loggedCount, double loggedSum) = perSensor[sensor];
            if (applied == count)
            {
                Assert.Equal(sum / count, statistics.GetProperty("mean").GetDouble(), 6);
            }
            else
            {
                Assert.True(applied == loggedCount, $"{sensor}: {count} readings acknowledged, {loggedCount} logged, its state counts {applied}");
                Assert.Equal(loggedSum / loggedCount, statistics.GetProperty("mean").GetDouble(), 6);
            }
        }
    }

    private static int Checkpoints(IEnumerable<ServerProcess> silos) =>
        silos.Sum(s => s.Output.Split("replay mark at seq", StringSplitOptions.None).Length - 1);

    private static async Task<long> BacklogAsync(ServerProcess silo) =>
        (await silo.Client.GetFromJsonAsync<JsonElement>("health")).GetProperty("telemetry").GetProperty("backlog").GetInt64();

    private static async Task WaitForSilosAsync(IReadOnlyList<ServerProcess> silos, int count)
    {
        foreach (ServerProcess s in silos)
        {
            await AsyncWait.UntilAsync(
                async () => (await s.Client.GetFromJsonAsync<JsonElement>("health")).GetProperty("cluster").GetProperty("silos").GetArrayLength() == count,
                Patience,
                $"{count} active silos seen by {s.Address}");
        }
    }

    private sealed record Answer(TimeSpan Sent, TimeSpan Answered, HttpStatusCode Status);
}
