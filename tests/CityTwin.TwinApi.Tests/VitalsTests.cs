using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>GET /api/areas/{id}/vitals summarises the latest street-sensor readings of an area.</summary>
public sealed class VitalsTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Vitals_of_a_grid_and_of_the_district_summarise_the_latest_readings()
    {
        IGrouping<string?, EntitySummary> grid = server.Directory.OfType(EntityType.Sensor)
            .Where(s => s.Kind == nameof(SensorKind.Wind) && s.BuildingId is null && s.GridId is not null)
            .GroupBy(s => s.GridId).OrderByDescending(g => g.Count()).First();
        EntitySummary[] sensors = [.. grid.OrderBy(s => s.Id, StringComparer.Ordinal)];

        // Two readings each; only the latest counts: 1, 2, ..., n m/s.
        string at = DateTimeOffset.UtcNow.ToString("O");
        object[] batch =
        [
            .. sensors.Select(s => (object)new { sensorId = s.Id, value = 30.0, at }),
            .. sensors.Select((s, i) => (object)new { sensorId = s.Id, value = i + 1.0, at }),
        ];
        using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", batch);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        JsonElement wind = Kind(await server.Client.GetFromJsonAsync<JsonElement>($"api/areas/{grid.Key}/vitals"), "wind");
        int n = sensors.Length;
        Assert.Equal(n, wind.GetProperty("sensors").GetInt32());
        Assert.Equal(n, wind.GetProperty("reporting").GetInt32());
        Assert.Equal((n + 1) / 2.0, wind.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(1, wind.GetProperty("min").GetDouble());
        Assert.Equal(n, wind.GetProperty("max").GetDouble());
        Assert.Equal("m/s", wind.GetProperty("unit").GetString());

        // The district holds every wind sensor; only this grid's have reported.
        JsonElement districtWind = Kind(await server.Client.GetFromJsonAsync<JsonElement>("api/areas/district/vitals"), "wind");
        int all = server.Directory.OfType(EntityType.Sensor).Count(s => s.Kind == nameof(SensorKind.Wind) && s.BuildingId is null);
        Assert.Equal(all, districtWind.GetProperty("sensors").GetInt32());
        Assert.Equal(n, districtWind.GetProperty("reporting").GetInt32());
        Assert.Equal(n, districtWind.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task Vitals_of_an_unknown_area_are_not_found()
    {
        using HttpResponseMessage response = await server.Client.GetAsync("api/areas/no-such-area/vitals");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static JsonElement Kind(JsonElement vitals, string kind) =>
        Assert.Single(vitals.GetProperty("vitals").EnumerateArray(), v => v.GetProperty("kind").GetString() == kind);
}
