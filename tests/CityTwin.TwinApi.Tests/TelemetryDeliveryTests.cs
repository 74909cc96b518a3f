using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Which deliveries of logged readings the ingest resends, through the real HTTP API on a server of its own: the live
/// silo's in-flight limit is lowered for a moment, so that calls are refused at the door (resent until the twin takes
/// them, in the request or in the background) or accepted and then fail inside the grain (never resent).
/// </summary>
public sealed class TelemetryDeliveryTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task A_delivery_that_ran_and_failed_is_not_resent_and_its_reading_is_reported_unapplied()
    {
        // A gas detector in a building: its alarm reading makes the sensor call its building, which the silo refuses
        // once the sensor's own call holds the last slot. The overload surfaces after the sensor applied the reading.
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Gas) && s.BuildingId is not null);
        long countBefore = await StatisticsCountAsync(sensor.Id);
        long overloadsBefore = server.Silo.GetStatistics().Overloads;
        long limit = server.Silo.Options.MaxInFlight;
        IngestResult result;
        server.Silo.Options.MaxInFlight = server.Silo.GetStatistics().InFlight + 1;
        try
        {
            result = await PostAsync(new { sensorId = sensor.Id, value = 1000.0, at = DateTimeOffset.UtcNow.ToString("O") });
        }
        finally
        {
            server.Silo.Options.MaxInFlight = limit;
        }

        // Logged and acknowledged, reported as not applied, and applied exactly once: a resend would have run it again.
        Assert.Equal((1, 0, 1), (result.Accepted, result.Deferred, result.Unapplied));
        Assert.True(server.Silo.GetStatistics().Overloads > overloadsBefore, "the building call was never refused, so the test proved nothing");
        await server.Silo.WaitForQuiescenceAsync();
        Assert.Equal(countBefore + 1, await StatisticsCountAsync(sensor.Id));
        Assert.Equal(0, server.Services.GetRequiredService<TelemetryIngest>().Backlog);
    }

    [Fact]
    public async Task A_delivery_refused_at_the_door_is_resent_and_applied_once_the_twin_takes_it()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Rain));
        long countBefore = await StatisticsCountAsync(sensor.Id);
        long overloadsBefore = server.Silo.GetStatistics().Overloads;
        long limit = server.Silo.Options.MaxInFlight;
        Task<IngestResult> post;

        // Nothing is taken until the first refusal; then the silo takes calls again and a resend goes through.
        server.Silo.Options.MaxInFlight = 0;
        try
        {
            post = PostAsync(new { sensorId = sensor.Id, value = 2.5, at = DateTimeOffset.UtcNow.ToString("O") });
            await TestWait.UntilAsync(() => server.Silo.GetStatistics().Overloads > overloadsBefore || post.IsCompleted, TimeSpan.FromSeconds(30));
        }
        finally
        {
            server.Silo.Options.MaxInFlight = limit;
        }

        IngestResult result = await post;
        Assert.Equal((1, 0), (result.Accepted, result.Unapplied));
        Assert.True(server.Silo.GetStatistics().Overloads > overloadsBefore, "the delivery was never refused, so the test proved nothing");

        // Resent in the request, or deferred to the background when the retries ran out first: applied once either way.
        await TestWait.UntilAsync(() => server.Services.GetRequiredService<TelemetryIngest>().Backlog == 0, TimeSpan.FromSeconds(30));
        await server.Silo.WaitForQuiescenceAsync();
        Assert.Equal(countBefore + 1, await StatisticsCountAsync(sensor.Id));
        Assert.Equal(0, server.Services.GetRequiredService<TelemetryIngest>().Dropped);
    }

    [Fact]
    public async Task Health_shows_the_deferred_telemetry_backlog_until_the_twin_has_taken_it()
    {
        EntitySummary gauge = server.Directory.OfType(EntityType.Gauge).First();
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Pm10));
        long gaugeBefore = await StatisticsCountAsync(gauge.Id);
        long sensorBefore = await StatisticsCountAsync(sensor.Id);
        JsonElement idle = await HealthTelemetryAsync();
        Assert.Equal(0, idle.GetProperty("backlog").GetInt64());
        Assert.Equal(TelemetryIngest.DefaultBacklogLimit, idle.GetProperty("backlogLimit").GetInt64());
        long limit = server.Silo.Options.MaxInFlight;
        server.Silo.Options.MaxInFlight = 0;
        try
        {
            // Every send and resend of the request is refused: both readings are logged, acknowledged and deferred.
            string at = DateTimeOffset.UtcNow.ToString("O");
            IngestResult result = await PostAsync(new { sensorId = gauge.Id, value = gauge.Value ?? 1.0, unit = "m", at }, new { sensorId = sensor.Id, value = 30.0, at });
            Assert.Equal((2, 2, 0), (result.Accepted, result.Deferred, result.Unapplied));

            JsonElement waiting = await HealthTelemetryAsync();
            Assert.Equal(2, waiting.GetProperty("backlog").GetInt64());
            Assert.Equal(0, waiting.GetProperty("dropped").GetInt64());
        }
        finally
        {
            server.Silo.Options.MaxInFlight = limit;
        }

        // Once the twin takes calls again the background delivery applies them and /health shows the backlog empty.
        for (int i = 0; i < 300 && (await HealthTelemetryAsync()).GetProperty("backlog").GetInt64() > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, (await HealthTelemetryAsync()).GetProperty("backlog").GetInt64());
        await server.Silo.WaitForQuiescenceAsync();
        Assert.Equal(gaugeBefore + 1, await StatisticsCountAsync(gauge.Id));
        Assert.Equal(sensorBefore + 1, await StatisticsCountAsync(sensor.Id));
        Assert.Equal(0, (await HealthTelemetryAsync()).GetProperty("dropped").GetInt64());
    }

    private async Task<IngestResult> PostAsync(params object[] readings)
    {
        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", readings);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IngestResult>())!;
    }

    private async Task<JsonElement> HealthTelemetryAsync()
    {
        JsonElement health = await server.Anonymous.GetFromJsonAsync<JsonElement>("health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        return health.GetProperty("telemetry");
    }

    private async Task<long> StatisticsCountAsync(string id)
    {
        EntityDetails details = server.Directory.Get(id)!.Type == EntityType.Gauge
            ? (await server.Silo.GrainFactory.GetGrain<IGaugeGrain>(id).GetDetailsAsync())!
            : (await server.Silo.GrainFactory.GetGrain<ISensorGrain>(id).GetDetailsAsync())!;
        return details.State switch
        {
            SensorState s => s.Statistics.Count,
            GaugeState g => g.Statistics.Count,
            _ => throw new InvalidOperationException($"unexpected state {details.State.GetType().Name}"),
        };
    }
}
