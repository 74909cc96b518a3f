using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>KPIs and heat maps through the HTTP API, on cases created in a grid of their own.</summary>
public sealed class KpiEndpointsTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Kpis_and_the_heat_map_of_a_grid_count_its_cases()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        string grid = building.GridId!;
        string rejected = await ReportAsync("noise", building, "hotline");
        await ReportAsync("noise", building, "citizen");
        await ReportAsync("road-damage", building, "patrol");
        using (HttpResponseMessage r = await server.Client.PostAsJsonAsync($"api/cases/{rejected}/transitions", new { action = "reject", actor = "operator-1" }))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        // The case grains count into their grid's and cell's statistics with one-way calls: wait until all three reports,
        // the rejection and both noise cases have been counted, then check every figure.
        JsonElement k = default, heat = default;
        await AsyncWait.UntilAsync(async () =>
        {
            k = await server.Client.GetFromJsonAsync<JsonElement>($"api/kpis?area={grid}");
            heat = await server.Client.GetFromJsonAsync<JsonElement>($"api/heatmap?metric=cases&area={grid}&category=noise");
            return k.GetProperty("reported").GetInt64() >= 3 && k.GetProperty("rejected").GetInt64() >= 1
                && heat.GetProperty("features").EnumerateArray().Sum(f => f.GetProperty("properties").GetProperty("count").GetInt32()) >= 2;
        }, TimeSpan.FromSeconds(30), "the grid's KPIs counting its three cases");

        Assert.Equal(3, k.GetProperty("reported").GetInt64());
        Assert.Equal(1, k.GetProperty("rejected").GetInt64());
        Assert.Equal(2, k.GetProperty("byCategory").GetProperty("noise").GetInt64());
        Assert.Equal(2.0 / 3, k.GetProperty("citizenShare").GetDouble(), 6);
        Assert.Equal(0, k.GetProperty("closureRate").GetDouble());
        Assert.Equal(1, k.GetProperty("stages").GetProperty("reported").GetProperty("count").GetInt64());
        JsonElement feature = Assert.Single(heat.GetProperty("features").EnumerateArray());
        Assert.Equal((building.CellId, 2), (feature.GetProperty("id").GetString(), feature.GetProperty("properties").GetProperty("count").GetInt32()));
        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        int[][] matrix = heat.GetProperty("hourOfDayByWeekday").GetProperty("counts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal((7, 24, 2), (matrix.Length, matrix[0].Length, matrix.Sum(r => r.Sum())));
    }

    [Theory]
    [InlineData("api/kpis?area=grid-nowhere", 404)]
    [InlineData("api/kpis?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z", 400)]
    [InlineData("api/heatmap?metric=rain", 400)]
    [InlineData("api/heatmap?category=spaceship", 400)]
    public async Task Bad_kpi_queries_get_problem_details(string url, int status)
    {
        using HttpResponseMessage r = await server.Client.GetAsync(url);
        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> ReportAsync(string category, EntitySummary building, string source)
    {
        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/cases", new
        {
            location = new { lon = building.Position.Lon, lat = building.Position.Lat }, category, source, buildingId = building.Id,
        });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
