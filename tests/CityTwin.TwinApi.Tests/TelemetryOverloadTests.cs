using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real server with small limits: a silo that takes 700 messages in flight (a 1 km district of 60 buildings loads
/// within it), no in-request retries of overloaded deliveries, and a backlog of one deferred reading before new batches
/// are refused.
/// </summary>
public sealed class OverloadedServerFixture : TwinServerFixture
{
    private readonly TempDirectory _dir = new();

    /// <inheritdoc />
    protected override string[] ExtraArgs =>
        ["--district", _dir.Combine("district.json"), "--Silo:MaxInFlight", "700", "--Api:TelemetryOverloadRetries", "0", "--Api:TelemetryBacklogLimit", "1"];

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
/// Overload during telemetry ingest, through the real HTTP API: a batch is either refused with 503 and nothing logged,
/// so that a client retrying it logs each reading once, or accepted (logged) with the readings the twin could not take
/// at once counted as deferred and applied shortly after.
/// </summary>
public sealed class TelemetryOverloadTests(OverloadedServerFixture server) : IClassFixture<OverloadedServerFixture>
{
    [Fact]
    public async Task Clients_retrying_on_503_log_every_reading_exactly_once_and_the_twin_applies_all_of_them()
    {
        EntitySummary[] sensors = server.Directory.OfType(EntityType.Sensor).Concat(server.Directory.OfType(EntityType.Gauge)).ToArray();
        Dictionary<string, long> countsBefore = [];
        foreach (EntitySummary s in sensors)
        {
            countsBefore[s.Id] = await StatisticsCountAsync(s);
        }

        long loggedBefore = await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind);
        int batches = 0, refused = 0, deferred = 0;
        long accepted = 0;

        // Rounds of concurrent batches, each naming every sensor once, until the twin has been overloaded: more calls
        // than the silo takes in flight. Every client retries its batch on 503, as Retry-After tells it to.
        for (int round = 0; round < 50 && deferred == 0; round++)
        {
            IngestResult[] results = await Task.WhenAll(Enumerable.Range(0, 12).Select(async client =>
            {
                // Each sensor's own current value: no alarms, so every call that runs applies its reading and nothing else.
                object[] batch = sensors.Select(s => (object)new { sensorId = s.Id, value = s.Value ?? 0, at = DateTimeOffset.UtcNow.ToString("O") }).ToArray();
                for (int attempt = 0; ; attempt++)
                {
                    using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", batch);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                        Assert.Contains("Nothing of this batch was logged", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
                        Interlocked.Increment(ref refused);
                        Assert.True(attempt < 200, "the twin stayed overloaded");
                        await Task.Delay(20);
                        continue;
                    }

                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    return (await response.Content.ReadFromJsonAsync<IngestResult>())!;
                }
            }));
            batches += results.Length;
            accepted += results.Sum(r => r.Accepted);
            deferred += results.Sum(r => r.Deferred);
            Assert.All(results, r => Assert.Equal((sensors.Length, 0), (r.Accepted, r.Unapplied)));
        }

        Assert.True(deferred > 0, "the small limits never overloaded the twin, so the test proved nothing");
        Assert.Equal(batches * (long)sensors.Length, accepted);
        Assert.Equal(loggedBefore + accepted, await server.Host.Store.EventLog.CountAsync(TelemetryIngest.ReadingKind));

        // Deferred readings reach their grains in the background: each sensor ends up with every accepted reading once.
        TelemetryIngest ingest = server.Services.GetRequiredService<TelemetryIngest>();
        for (int i = 0; i < 300 && ingest.Backlog > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, ingest.Backlog);
        Assert.Equal(0, ingest.Dropped);
        foreach (EntitySummary s in sensors)
        {
            Assert.Equal(countsBefore[s.Id] + batches, await StatisticsCountAsync(s));
        }
    }

    private async Task<long> StatisticsCountAsync(EntitySummary s)
    {
        EntityDetails details = s.Type == EntityType.Gauge
            ? (await server.Silo.GrainFactory.GetGrain<IGaugeGrain>(s.Id).GetDetailsAsync())!
            : (await server.Silo.GrainFactory.GetGrain<ISensorGrain>(s.Id).GetDetailsAsync())!;
        return details.State switch
        {
            SensorState sensor => sensor.Statistics.Count,
            GaugeState gauge => gauge.Statistics.Count,
            _ => throw new InvalidOperationException($"unexpected state {details.State.GetType().Name}"),
        };
    }
}
