using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The real server with a tiny per-grain queue (Silo:MaxQueueLengthPerGrain = <see cref="QueueLimit"/>) and the
/// <see cref="GrainGate"/> installed, so that a test can make one grain refuse its calls at will.
/// </summary>
public class BusyGrainServerFixture : TwinServerFixture
{
    /// <summary>Requests one activation may hold before Orleans refuses the next.</summary>
    public const int QueueLimit = 2;

    /// <summary>Makes grains busy and records the calls refused for overload.</summary>
    public GrainGate Gate { get; } = new();

    /// <inheritdoc />
    protected override string[] ExtraArgs => ["--Silo:MaxQueueLengthPerGrain", $"{QueueLimit}"];

    /// <summary>Makes <paramref name="grain"/> refuse every call until the hold is disposed.</summary>
    public Task<GrainGate.Hold> HoldAsync(ITwinEntityGrain grain) => Gate.HoldAsync(grain, QueueLimit);

    /// <inheritdoc />
    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(Gate);
        builder.Services.AddSingleton<IOutgoingGrainCallFilter>(Gate);
    }
}

/// <summary>
/// Which deliveries of logged readings the ingest resends, through the real HTTP API on a server of its own whose grains
/// can be made busy (<see cref="BusyGrainServerFixture"/>): a call refused at the door (Orleans' queue limit, the call
/// never ran) is resent until the twin takes it, in the request or in the background; a call that ran and then failed
/// inside the grain is never resent.
/// </summary>
public sealed class TelemetryDeliveryTests(BusyGrainServerFixture server) : IClassFixture<BusyGrainServerFixture>
{
    [Fact]
    public async Task A_delivery_that_ran_and_failed_is_not_resent_and_its_reading_is_reported_unapplied()
    {
        // A gas detector in a building: its alarm reading makes the sensor call its building, which is too busy to take
        // the call. The overload surfaces after the sensor applied the reading.
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Gas) && s.BuildingId is not null);
        IBuildingGrain building = server.Grains.GetGrain<IBuildingGrain>(sensor.BuildingId!);
        long countBefore = await StatisticsCountAsync(sensor.Id);
        long loggedBefore = await LoggedAsync(sensor.Id);
        IngestResult result;
        await using (await server.HoldAsync(building))
        {
            result = await PostAsync(new { sensorId = sensor.Id, value = 1000.0, at = DateTimeOffset.UtcNow.ToString("O") });
            Assert.Equal(1, server.Gate.Refusals(building, nameof(IBuildingGrain.RaiseSensorAlertAsync)));
        }

        // Logged and acknowledged, reported as not applied, and applied exactly once: a resend would have run it again.
        Assert.Equal((1, 0, 1), (result.Accepted, result.Deferred, result.Unapplied));
        Assert.Equal(0, server.Gate.Refusals(server.Grains.GetGrain<ISensorGrain>(sensor.Id), nameof(ISensorGrain.RecordAsync)));
        Assert.Equal(loggedBefore + 1, await LoggedAsync(sensor.Id));
        Assert.Equal(countBefore + 1, await StatisticsCountAsync(sensor.Id));
        Assert.Equal(0, server.Ingest.Backlog);
    }

    [Fact]
    public async Task A_delivery_refused_at_the_door_is_resent_and_applied_once_the_twin_takes_it()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Rain));
        ISensorGrain grain = server.Grains.GetGrain<ISensorGrain>(sensor.Id);
        long countBefore = await StatisticsCountAsync(sensor.Id);
        long loggedBefore = await LoggedAsync(sensor.Id);
        Task<IngestResult> post;

        // The sensor takes nothing until its delivery has been refused once; then it takes calls again and a resend goes through.
        await using (await server.HoldAsync(grain))
        {
            post = PostAsync(new { sensorId = sensor.Id, value = 2.5, at = DateTimeOffset.UtcNow.ToString("O") });
            await TestWait.UntilAsync(() => server.Gate.Refusals(grain, nameof(ISensorGrain.RecordAsync)) > 0, TimeSpan.FromSeconds(30),
                "the delivery refused for overload");
        }

        IngestResult result = await post;
        Assert.Equal((1, 0), (result.Accepted, result.Unapplied));

        // Resent in the request, or deferred to the background when the request's retries ran out before the release
        // (a stalled machine): applied exactly once either way.
        TelemetryIngest ingest = server.Ingest;
        await TestWait.UntilAsync(() => ingest.Backlog == 0, TimeSpan.FromSeconds(30), "the deferred reading delivered");
        Assert.Equal(loggedBefore + 1, await LoggedAsync(sensor.Id));
        Assert.Equal(countBefore + 1, await StatisticsCountAsync(sensor.Id));
        Assert.Equal(0, ingest.Dropped);
    }

    [Fact]
    public async Task Health_shows_the_deferred_telemetry_backlog_until_the_twin_has_taken_it()
    {
        EntitySummary gauge = server.Directory.OfType(EntityType.Gauge).First();
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Pm10));
        IGaugeGrain gaugeGrain = server.Grains.GetGrain<IGaugeGrain>(gauge.Id);
        ISensorGrain sensorGrain = server.Grains.GetGrain<ISensorGrain>(sensor.Id);
        long gaugeBefore = await StatisticsCountAsync(gauge.Id);
        long sensorBefore = await StatisticsCountAsync(sensor.Id);
        JsonElement idle = await HealthTelemetryAsync();
        Assert.Equal(0, idle.GetProperty("backlog").GetInt64());
        Assert.Equal(TelemetryIngest.DefaultBacklogLimit, idle.GetProperty("backlogLimit").GetInt64());
        await using (await server.HoldAsync(gaugeGrain))
        await using (await server.HoldAsync(sensorGrain))
        {
            // Every send and resend of the request is refused: both readings are logged, acknowledged and deferred.
            string at = DateTimeOffset.UtcNow.ToString("O");
            IngestResult result = await PostAsync(new { sensorId = gauge.Id, value = gauge.Value ?? 1.0, unit = "m", at }, new { sensorId = sensor.Id, value = 30.0, at });
            Assert.Equal((2, 2, 0), (result.Accepted, result.Deferred, result.Unapplied));
            Assert.True(server.Gate.Refusals(gaugeGrain, nameof(IGaugeGrain.RecordAsync)) > 0, "the gauge's delivery was never refused");
            Assert.True(server.Gate.Refusals(sensorGrain, nameof(ISensorGrain.RecordAsync)) > 0, "the sensor's delivery was never refused");

            JsonElement waiting = await HealthTelemetryAsync();
            Assert.Equal(2, waiting.GetProperty("backlog").GetInt64());
            Assert.Equal(0, waiting.GetProperty("dropped").GetInt64());
        }

        // Once the twin takes calls again the background delivery applies them and /health shows the backlog empty.
        await AsyncWait.UntilAsync(async () => (await HealthTelemetryAsync()).GetProperty("backlog").GetInt64() == 0, TimeSpan.FromSeconds(30),
            "an empty backlog on /health");
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
        JsonElement health = await server.Client.GetFromJsonAsync<JsonElement>("health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        return health.GetProperty("telemetry");
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

    private async Task<long> StatisticsCountAsync(string id) => server.Directory.Get(id)!.Type == EntityType.Gauge
        ? (await server.Grains.GetGrain<IGaugeGrain>(id).GetDetailsAsync())!.ReadState<GaugeState>().Statistics.Count
        : (await server.Grains.GetGrain<ISensorGrain>(id).GetDetailsAsync())!.ReadState<SensorState>().Statistics.Count;
}
