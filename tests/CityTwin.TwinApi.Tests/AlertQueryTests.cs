using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>GET /api/alerts: recent alerts filtered by kind, channel and area.</summary>
public sealed class AlertQueryTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Alerts_are_filtered_by_kind_and_area_newest_first()
    {
        EntitySummary[] sos = server.Directory.OfType(EntityType.Sensor)
            .Where(s => s.Kind == nameof(SensorKind.SosButton) && s.CommunityId is not null)
            .GroupBy(s => s.CommunityId).First(g => g.Count() >= 2).OrderBy(s => s.Id, StringComparer.Ordinal).Take(2).ToArray();
        EntitySummary smoke = server.Directory.OfType(EntityType.Sensor).First(s => s.Kind == nameof(SensorKind.Smoke) && s.CommunityId != sos[0].CommunityId);
        foreach (object reading in new object[]
        {
            new { sensorId = sos[0].Id, value = 1.0, at = DateTimeOffset.UtcNow.ToString("O") },
            new { sensorId = smoke.Id, value = 50.0, at = DateTimeOffset.UtcNow.ToString("O") },
            new { sensorId = sos[1].Id, value = 1.0, at = DateTimeOffset.UtcNow.ToString("O") },
        })
        {
            using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", new[] { reading });
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        JsonElement inCommunity = await server.Client.GetFromJsonAsync<JsonElement>($"api/alerts?area={sos[0].CommunityId}");
        Assert.Equal([sos[1].Id, sos[0].Id], inCommunity.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("entityId").GetString()));

        JsonElement smokeOnly = await server.Client.GetFromJsonAsync<JsonElement>("api/alerts?kind=smoke&area=district");
        Assert.Equal([smoke.Id], smokeOnly.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("entityId").GetString()));

        JsonElement limited = await server.Client.GetFromJsonAsync<JsonElement>("api/alerts?limit=1");
        Assert.Equal(sos[1].Id, Assert.Single(limited.GetProperty("items").EnumerateArray()).GetProperty("entityId").GetString());
    }

    [Theory]
    [InlineData("limit=0", HttpStatusCode.BadRequest)]
    [InlineData("limit=1001", HttpStatusCode.BadRequest)]
    [InlineData("area=no-such-area", HttpStatusCode.NotFound)]
    public async Task Bad_alert_queries_are_problems(string query, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await server.Client.GetAsync($"api/alerts?{query}");
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
