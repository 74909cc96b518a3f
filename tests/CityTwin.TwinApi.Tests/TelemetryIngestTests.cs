using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.TwinApi.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>POST /api/telemetry against the real server: unknown sensors rejected per item, accepted readings applied before the answer.</summary>
public sealed class TelemetryIngestTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task A_reading_for_an_unknown_sensor_is_rejected_with_its_index_and_never_logged()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Rain));
        EntitySummary gauge = server.Directory.OfType(EntityType.Gauge).First();
        object[] batch =
        [
            new { sensorId = sensor.Id, value = 1.5, at = "2026-05-01T10:00:00Z" },
            new { sensorId = "no-such-sensor", value = 2.0, at = "2026-05-01T10:00:00Z" },
            new { sensorId = gauge.Id, value = gauge.Value ?? 1.0, unit = "m", at = "2026-05-01T10:00:00Z" },
            new { sensorId = "b1", value = 2.0, at = "2026-05-01T10:00:00Z" },
        ];

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", batch);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(2, body.GetProperty("rejected").GetInt32());
        JsonElement[] errors = body.GetProperty("errors").EnumerateArray().ToArray();
        Assert.Equal([1, 3], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal("unknown sensorId 'no-such-sensor'", errors[0].GetProperty("error").GetString());
        Assert.Equal("b1", errors[1].GetProperty("id").GetString());

        JsonElement events = await server.Client.GetFromJsonAsync<JsonElement>("api/events?kind=reading&key=no-such-sensor");
        Assert.Empty(events.GetProperty("items").EnumerateArray());
        events = await server.Client.GetFromJsonAsync<JsonElement>($"api/events?kind=reading&key={sensor.Id}&from=2026-05-01T10:00:00Z&to=2026-05-01T10:00:01Z");
        Assert.Single(events.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_accepted_reading_is_in_the_very_next_entity_query()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Pm10));
        for (int i = 0; i < 20; i++)
        {
            double value = 40 + i * 3.5;
            using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry",
                new[] { new { sensorId = sensor.Id, value, at = DateTimeOffset.UtcNow.ToString("O") } });
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

            JsonElement feature = await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor.Id}");
            Assert.Equal(value, feature.GetProperty("properties").GetProperty("value").GetDouble());
        }

        JsonElement state = (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor.Id}")).GetProperty("properties").GetProperty("state");
        Assert.Equal(20, state.GetProperty("statistics").GetProperty("count").GetInt64());
        Assert.Equal(40 + 19 * 3.5 / 2, state.GetProperty("statistics").GetProperty("mean").GetDouble(), 9);
    }

    [Fact]
    public async Task A_gas_alarm_posted_as_telemetry_reaches_the_alerts_of_its_community_at_once()
    {
        EntitySummary gas = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Gas) && s.BuildingId is not null && s.CommunityId is not null);
        double alarmAt = Convert.ToDouble(gas.Properties!["alarmAbove"], System.Globalization.CultureInfo.InvariantCulture);

        using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry",
            new[] { new { sensorId = gas.Id, value = alarmAt + 5, unit = "%LEL", at = DateTimeOffset.UtcNow.ToString("O") } });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        JsonElement alerts = await server.Client.GetFromJsonAsync<JsonElement>($"api/alerts?kind=gas&area={gas.CommunityId}");
        JsonElement alert = Assert.Single(alerts.GetProperty("items").EnumerateArray(), a => a.GetProperty("entityId").GetString() == gas.Id);
        Assert.Equal("alert", alert.GetProperty("channel").GetString());
        Assert.Equal(gas.BuildingId, alert.GetProperty("buildingId").GetString());
        Assert.NotEmpty(alert.GetProperty("recipients").EnumerateArray());

        JsonElement building = await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/building/{gas.BuildingId}");
        Assert.Equal("alarm", building.GetProperty("properties").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Parsed_batches_are_checked_against_the_twin_too()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.SoilMoisture));
        // The server's own ingest: the load driver's path, beside the HTTP one.
        TelemetryIngest ingest = server.Ingest;
        DateTimeOffset at = DateTimeOffset.UtcNow;

        IngestResult result = await ingest.IngestAsync(
            [new(sensor.Id, 31.5, "%vol", at), new("ghost", 1, null, at), new(sensor.Id, 32.5, "%vol", at)], CancellationToken.None);

        Assert.Equal(2, result.Accepted);
        Assert.Equal(1, Assert.Single(result.Errors).Index);
        Assert.Equal(32.5, server.Directory.Get(sensor.Id)!.Value);
        SensorState state = (await server.Grains.GetGrain<ISensorGrain>(sensor.Id).GetDetailsAsync())!.ReadState<SensorState>();
        Assert.Equal(2, state.Statistics.Count);
    }

    [Fact]
    public async Task A_body_that_is_not_a_batch_is_a_problem_and_applies_nothing()
    {
        using HttpResponseMessage malformed = await server.Client.PostAsync("api/telemetry", new StringContent("[{\"sensorId\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }
}
