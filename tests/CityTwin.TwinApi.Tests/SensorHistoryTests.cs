using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>GET /api/sensors/{id}/history: buckets computed from the event log, checked by hand; validation of the query.</summary>
public sealed class SensorHistoryTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Buckets_hold_the_count_min_mean_and_max_of_the_readings_in_them()
    {
        string id = RainSensor().Id;
        object[] readings =
        [
            new { sensorId = id, value = 2.0, at = "2026-03-01T00:01:00Z" },
            new { sensorId = id, value = 50.0, unit = "battery%", at = "2026-03-01T00:02:00Z" }, // a battery report, not rain
            new { sensorId = id, value = 4.0, at = "2026-03-01T00:03:00Z" },
            new { sensorId = id, value = 10.0, at = "2026-03-01T00:07:00Z" },
            new { sensorId = id, value = 1.0, at = "2026-03-01T00:12:00Z" },
            new { sensorId = id, value = 6.0, at = "2026-03-01T00:14:59Z" },
            new { sensorId = id, value = 99.0, at = "2026-03-01T00:15:00Z" }, // 'to' is exclusive
        ];
        using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", readings);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        JsonElement history = await server.Client.GetFromJsonAsync<JsonElement>(
            $"api/sensors/{id}/history?from=2026-03-01T00:00:00Z&to=2026-03-01T00:20:00Z&every=5m");

        JsonElement[] buckets = history.GetProperty("buckets").EnumerateArray().ToArray();
        Assert.Equal(4, buckets.Length);
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T00:05:00Z"), buckets[1].GetProperty("start").GetDateTimeOffset());
        Assert.Equal((2, 2.0, 3.0, 4.0), Stats(buckets[0]));
        Assert.Equal((1, 10.0, 10.0, 10.0), Stats(buckets[1]));
        Assert.Equal((2, 1.0, 3.5, 6.0), Stats(buckets[2]));
        Assert.Equal((1, 99.0, 99.0, 99.0), Stats(buckets[3]));

        history = await server.Client.GetFromJsonAsync<JsonElement>($"api/sensors/{id}/history?from=2026-03-01T00:00:00Z&to=2026-03-01T00:15:00Z&every=15m");
        JsonElement only = Assert.Single(history.GetProperty("buckets").EnumerateArray());
        Assert.Equal(5, only.GetProperty("count").GetInt64());
        Assert.Equal(23.0 / 5, only.GetProperty("mean").GetDouble(), 9);

        history = await server.Client.GetFromJsonAsync<JsonElement>($"api/sensors/{id}/history?from=2026-02-01T00:00:00Z&to=2026-02-01T01:00:00Z&every=1h");
        JsonElement empty = Assert.Single(history.GetProperty("buckets").EnumerateArray());
        Assert.Equal(0, empty.GetProperty("count").GetInt64());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("mean").ValueKind);
    }

    [Theory]
    [InlineData("from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z&every=30s", "every")]
    [InlineData("from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z&every=2d", "every")]
    [InlineData("from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z&every=five", "every")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&every=1m", "every")]
    [InlineData("from=2026-03-01T01:00:00Z&to=2026-03-01T00:00:00Z&every=5m", "from")]
    public async Task A_bad_query_is_a_problem_naming_the_field(string query, string field)
    {
        using HttpResponseMessage response = await server.Client.GetAsync($"api/sensors/{RainSensor().Id}/history?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_sensor_has_no_history()
    {
        using HttpResponseMessage response = await server.Client.GetAsync("api/sensors/no-such-sensor/history?every=5m");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private EntitySummary RainSensor() => server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First(s => s.Kind == nameof(SensorKind.Rain));

    private static (long, double, double, double) Stats(JsonElement b) =>
        (b.GetProperty("count").GetInt64(), b.GetProperty("min").GetDouble(), b.GetProperty("mean").GetDouble(), b.GetProperty("max").GetDouble());
}
