using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>The real server with a telemetry batch limit of 5.</summary>
public sealed class SmallBatchServerFixture : TwinServerFixture
{
    /// <inheritdoc />
    protected override string[] ExtraArgs => ["--Api:MaxBatchSize", "5"];
}

/// <summary>Whole-batch errors of POST /api/telemetry: nothing is applied and the answer says why.</summary>
public sealed class TelemetryBatchLimitTests(SmallBatchServerFixture server) : IClassFixture<SmallBatchServerFixture>
{
    [Fact]
    public async Task A_batch_over_the_limit_gets_413_and_nothing_is_logged()
    {
        string sensor = server.Directory.OfType(EntityType.Sensor).First().Id;
        long before = await server.Host.Store.EventLog.CountAsync("reading");
        object[] readings = Enumerable.Range(0, 6).Select(i => new { sensorId = sensor, value = i, at = "2026-11-22T03:00:00Z" }).ToArray();

        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/telemetry", readings);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("limit is 5", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, await server.Host.Store.EventLog.CountAsync("reading"));
    }

    [Theory]
    [InlineData("{\"readings\": [", "Malformed JSON")]
    [InlineData("{\"values\": []}", "JSON array of readings")]
    [InlineData("42", "JSON array of readings")]
    public async Task A_body_that_is_not_a_batch_gets_400_saying_so(string body, string expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage r = await server.Client.PostAsync("api/telemetry", content);

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        JsonElement problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("title").GetString() + " " + problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Within_the_limit_each_bad_item_is_named_by_index_and_the_good_ones_are_accepted()
    {
        string sensor = server.Directory.OfType(EntityType.Sensor).First().Id;
        object[] readings =
        [
            new { sensorId = sensor, value = 0.5, at = "2026-11-22T03:00:00Z" },
            new { sensorId = "no-such-sensor", value = 1.0, at = "2026-11-22T03:00:00Z" },
            new { sensorId = sensor, value = "high", at = "2026-11-22T03:00:00Z" },
        ];

        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/telemetry", readings);

        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        JsonElement body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(2, body.GetProperty("rejected").GetInt32());
        Assert.Equal([1, 2], body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("index").GetInt32()));
    }
}
