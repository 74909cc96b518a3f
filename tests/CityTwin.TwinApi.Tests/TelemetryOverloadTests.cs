using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Silo.EventLog;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real server with small limits: a small district (a 1 km district of 60 buildings), grains that can be made busy
/// (<see cref="BusyGrainServerFixture"/>: a queue of two requests per grain), no in-request retries of refused deliveries,
/// and a backlog of one deferred reading before new batches are refused.
/// </summary>
public sealed class OverloadedServerFixture : BusyGrainServerFixture
{
    private readonly TempDirectory _dir = new();

    /// <inheritdoc />
    protected override string[] ExtraArgs =>
        [.. base.ExtraArgs, "--district", _dir.Combine("district.json"), "--Api:TelemetryOverloadRetries", "0", "--Api:TelemetryBacklogLimit", "1"];

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        DistrictFile.Write(DistrictGenerator.Generate(new DistrictOptions { Buildings = 60, SizeKm = 1, Seed = 7 }), _dir.Combine("district.json"));
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>
/// Overload during telemetry ingest, through the real HTTP API: a batch is either refused with 503 (and Retry-After) and
/// nothing logged, so that a client retrying it logs each reading once, or accepted (logged) with the readings the twin
/// could not take at once counted as deferred and applied shortly after, each exactly once. Overload is made, not hoped
/// for: one sensor is held busy (<see cref="GrainGate"/>) so its delivery is refused and deferred, which fills the backlog.
/// </summary>
public sealed class TelemetryOverloadTests(OverloadedServerFixture server) : IClassFixture<OverloadedServerFixture>
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_batch_refused_with_503_logs_nothing_and_its_retry_logs_and_applies_each_reading_once()
    {
        EntitySummary[] sensors = Readable().Take(3).ToArray();
        ITwinEntityGrain busy = GrainOf(sensors[0]);
        Dictionary<string, long> countsBefore = await CountsAsync(sensors);
        Dictionary<string, long> loggedBeforeBySensor = [];
        foreach (EntitySummary s in sensors)
        {
            loggedBeforeBySensor[s.Id] = await LoggedAsync(s.Id);
        }

        long loggedBefore = await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind);
        object[] first = [Reading(sensors[0]), Reading(sensors[1])];
        object[] second = [Reading(sensors[1]), Reading(sensors[2])];
        IngestResult accepted;
        await using (await server.HoldAsync(busy))
        {
            // The busy sensor refuses its delivery: its reading is logged, acknowledged and deferred, which fills the backlog.
            accepted = await PostAcceptedAsync(first);
            Assert.Equal((2, 1, 0), (accepted.Accepted, accepted.Deferred, accepted.Unapplied));
            Assert.True(server.Gate.Refusals(busy, nameof(ISensorGrain.RecordAsync)) > 0, "the busy sensor's delivery was never refused");
            Assert.Equal(loggedBefore + 2, await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind));

            // While the backlog is full a batch is refused whole before anything of it is logged.
            using HttpResponseMessage refused = await server.Client.PostAsJsonAsync("api/telemetry", second);
            await AssertRefusedAsync(refused);
            Assert.Equal(loggedBefore + 2, await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind));
        }

        // Once the sensor takes calls again its deferred reading is delivered, the backlog empties and the retry is accepted.
        IngestResult retried = await PostRetryingAsync(second);
        Assert.Equal((2, 0, 0), (retried.Accepted, retried.Deferred, retried.Unapplied));

        TelemetryIngest ingest = server.Ingest;
        await TestWait.UntilAsync(() => ingest.Backlog == 0, RetryFor, "the deferred reading delivered");
        Assert.Equal(loggedBefore + 4, await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind));
        Assert.Equal(0, ingest.Dropped);
        int[] expected = [1, 2, 1];
        for (int i = 0; i < sensors.Length; i++)
        {
            Assert.Equal(loggedBeforeBySensor[sensors[i].Id] + expected[i], await LoggedAsync(sensors[i].Id));
            Assert.Equal(countsBefore[sensors[i].Id] + expected[i], await StatisticsCountAsync(sensors[i]));
        }
    }

    [Fact]
    public async Task Clients_retrying_on_503_log_every_reading_exactly_once_and_the_twin_applies_all_of_them()
    {
        EntitySummary[] sensors = Readable().ToArray();
        ITwinEntityGrain busy = GrainOf(sensors[0]);
        Dictionary<string, long> countsBefore = await CountsAsync(sensors);
        long loggedBefore = await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind);
        const int Clients = 12;
        int deferred;

        // Twelve clients send a batch naming every sensor at once and retry it on 503, as Retry-After tells them to. One
        // sensor is busy until a reading of it has been deferred, so the backlog fills and later batches are refused
        // (how many depends on timing: batches that passed the backlog check together are all accepted); after the release
        // the clients' batches still meet each other in the sensors' two-request queues.
        GrainGate.Hold hold = await server.HoldAsync(busy);
        IngestResult[] results;
        try
        {
            Task<IngestResult>[] clients = Enumerable.Range(0, Clients)
                .Select(_ => PostRetryingAsync(sensors.Select(Reading).ToArray()))
                .ToArray();
            await TestWait.UntilAsync(() => server.Gate.Refusals(busy, nameof(ISensorGrain.RecordAsync)) > 0 && server.Ingest.Backlog > 0,
                RetryFor, "a deferred reading of the busy sensor");
            await hold.DisposeAsync();
            results = await Task.WhenAll(clients);
            deferred = results.Sum(r => r.Deferred);
        }
        finally
        {
            await hold.DisposeAsync();
        }

        Assert.True(deferred > 0, "no reading was deferred, so the test proved nothing");
        Assert.All(results, r => Assert.Equal((sensors.Length, 0), (r.Accepted, r.Unapplied)));
        Assert.Equal(loggedBefore + (Clients * (long)sensors.Length), await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind));

        // Deferred readings reach their grains in the background: each sensor ends up with every accepted reading once.
        TelemetryIngest ingest = server.Ingest;
        await TestWait.UntilAsync(() => ingest.Backlog == 0, RetryFor, "the deferred readings delivered");
        Assert.Equal(0, ingest.Dropped);
        foreach (EntitySummary s in sensors)
        {
            Assert.Equal(countsBefore[s.Id] + Clients, await StatisticsCountAsync(s));
        }
    }

    /// <summary>The district's sensors and gauges, in id order.</summary>
    private IEnumerable<EntitySummary> Readable() =>
        server.Directory.OfType(EntityType.Sensor).Concat(server.Directory.OfType(EntityType.Gauge)).OrderBy(s => s.Id, StringComparer.Ordinal);

    private ITwinEntityGrain GrainOf(EntitySummary s) =>
        s.Type == EntityType.Gauge ? server.Grains.GetGrain<IGaugeGrain>(s.Id) : server.Grains.GetGrain<ISensorGrain>(s.Id);

    /// <summary>A reading of the sensor's own current value: no alarms, so every call that runs applies its reading and nothing else.</summary>
    private static object Reading(EntitySummary s) => new { sensorId = s.Id, value = s.Value ?? 0, at = DateTimeOffset.UtcNow.ToString("O") };

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After should say in how many seconds to retry, was '{response.Headers.RetryAfter}'");
        Assert.Contains("Nothing of this batch was logged", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private async Task<IngestResult> PostAcceptedAsync(object[] batch)
    {
        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", batch);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IngestResult>())!;
    }

    /// <summary>Posts <paramref name="batch"/> until it is accepted, checking every 503 on the way (a client would wait Retry-After; the test polls faster).</summary>
    private async Task<IngestResult> PostRetryingAsync(object[] batch)
    {
        DateTime deadline = DateTime.UtcNow + RetryFor;
        while (true)
        {
            using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", batch);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<IngestResult>())!;
            }

            await AssertRefusedAsync(response);
            Assert.True(DateTime.UtcNow < deadline, $"the twin still refused the batch after {RetryFor}");
            await Task.Delay(20);
        }
    }

    private async Task<Dictionary<string, long>> CountsAsync(IEnumerable<EntitySummary> sensors)
    {
        Dictionary<string, long> counts = [];
        foreach (EntitySummary s in sensors)
        {
            counts[s.Id] = await StatisticsCountAsync(s);
        }

        return counts;
    }

    private async Task<long> LoggedAsync(string id)
    {
        long count = 0;
        await foreach (EventRecord _ in server.Host.Store.EventLog.ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, TelemetryIngest.ReadingKind, id))
        {
            count++;
        }

        return count;
    }

    private async Task<long> StatisticsCountAsync(EntitySummary s)
    {
        EntityDetails details = (await GrainOf(s).GetDetailsAsync())!;
        return s.Type == EntityType.Gauge ? details.ReadState<GaugeState>().Statistics.Count : details.ReadState<SensorState>().Statistics.Count;
    }
}
