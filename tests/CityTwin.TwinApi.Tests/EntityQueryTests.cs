using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>Queries over the live twin through the real HTTP API.</summary>
public sealed class EntityQueryTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task A_near_query_returns_exactly_the_entities_within_the_radius_nearest_first()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        GeoPoint centre = building.Position;
        var projection = server.Directory.Projection;
        string[] expected = server.Directory.OfType(EntityType.Sensor)
            .Where(s => projection.DistanceMetres(centre, s.Position) <= 300)
            .Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();

        JsonElement fc = await GetJson($"api/entities?type=sensor&near={centre.Lon},{centre.Lat}&radius=300&pageSize=1000");

        Assert.Equal("FeatureCollection", fc.GetProperty("type").GetString());
        JsonElement[] features = fc.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(expected, features.Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, fc.GetProperty("numberMatched").GetInt32());
        double[] distances = features.Select(f => f.GetProperty("properties").GetProperty("distanceM").GetDouble()).ToArray();
        Assert.Equal(distances.Order(), distances);
        Assert.All(features, f => Assert.Equal("Point", f.GetProperty("geometry").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Attribute_filters_and_within_an_area_narrow_the_result()
    {
        // The first grid (by id) with a gas sensor: the read model's enumeration order is not part of the contract.
        EntitySummary grid = server.Directory.OfType(EntityType.Area)
            .Where(a => a.Kind == nameof(AreaKind.Grid))
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .First(a => server.Directory.OfType(EntityType.Sensor).Any(s => s.GridId == a.Id && s.Kind == nameof(SensorKind.Gas)));
        int expected = server.Directory.OfType(EntityType.Sensor).Count(s => s.GridId == grid.Id && s.Kind == nameof(SensorKind.Gas));

        JsonElement fc = await GetJson($"api/entities?type=sensor&within={grid.Id}&q=kind==gas&pageSize=1000");

        Assert.True(expected > 0);
        Assert.Equal(expected, fc.GetProperty("numberMatched").GetInt32());
        Assert.All(fc.GetProperty("features").EnumerateArray(), f => Assert.Equal("Gas", f.GetProperty("properties").GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Paging_walks_every_match_once()
    {
        int total = server.Directory.OfType(EntityType.Building).Count();
        var seen = new List<string>();
        for (int page = 1; ; page++)
        {
            JsonElement fc = await GetJson($"api/entities?type=building&page={page}&pageSize=70");
            JsonElement[] features = fc.GetProperty("features").EnumerateArray().ToArray();
            seen.AddRange(features.Select(f => f.GetProperty("id").GetString()!));
            Assert.Equal(total, fc.GetProperty("numberMatched").GetInt32());
            if (features.Length < 70)
            {
                break;
            }
        }

        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
    }

    [Fact]
    public async Task Pages_of_a_near_query_walk_the_matches_nearest_first_under_one_total()
    {
        GeoPoint centre = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).Skip(5).First().Position;
        string[] expected = SensorsNear(centre, 400).Select(x => x.Id).ToArray();
        Assert.True(expected.Length > 20, $"only {expected.Length} sensors near the centre");

        var seen = new List<string>();
        int pages = (expected.Length + 6) / 7;
        for (int page = 1; page <= pages + 1; page++)
        {
            JsonElement fc = await GetJson($"api/entities?type=sensor&near={centre.Lon},{centre.Lat}&radius=400&page={page}&pageSize=7");
            JsonElement[] features = fc.GetProperty("features").EnumerateArray().ToArray();
            Assert.Equal(expected.Length, fc.GetProperty("numberMatched").GetInt32());
            Assert.Equal(Math.Clamp(expected.Length - ((page - 1) * 7), 0, 7), features.Length);
            Assert.Equal(features.Length, fc.GetProperty("numberReturned").GetInt32());
            seen.AddRange(features.Select(f => f.GetProperty("id").GetString()!));
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task A_filtered_near_query_counts_and_orders_only_the_matches()
    {
        GeoPoint centre = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).Skip(9).First().Position;
        string[] expected = SensorsNear(centre, 600).Where(x => x.Kind == nameof(SensorKind.Smoke)).Select(x => x.Id).ToArray();
        Assert.True(expected.Length > 3, $"only {expected.Length} smoke sensors near the centre");

        JsonElement fc = await GetJson($"api/entities?type=sensor&near={centre.Lon},{centre.Lat}&radius=600&q=kind==smoke&pageSize=3");

        Assert.Equal(expected.Length, fc.GetProperty("numberMatched").GetInt32());
        Assert.Equal(expected.Take(3), fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task A_reading_accepted_by_the_api_is_in_the_very_next_near_query()
    {
        EntitySummary meter = server.Directory.OfType(EntityType.Sensor).Where(s => s.Kind == nameof(SensorKind.WaterMeter)).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        string url = $"api/entities?type=sensor&near={meter.Position.Lon},{meter.Position.Lat}&radius=1&q=id=={meter.Id}";
        foreach (double value in new[] { 123.5, 124.75 })
        {
            using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = meter.Id, value, at = DateTimeOffset.UtcNow.ToString("O") } });
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

            JsonElement fc = await GetJson(url);

            JsonElement feature = Assert.Single(fc.GetProperty("features").EnumerateArray());
            Assert.Equal(value, feature.GetProperty("properties").GetProperty("value").GetDouble());
        }
    }

    [Fact]
    public async Task A_building_comes_with_its_footprint_state_and_sensors()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).First();
        JsonElement feature = await GetJson($"api/entities/building/{building.Id}");

        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        string[] sensors = feature.GetProperty("properties").GetProperty("relationships").GetProperty("sensors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(server.Directory.OfType(EntityType.Sensor).Where(s => s.BuildingId == building.Id).Select(s => s.Id).Order(StringComparer.Ordinal), sensors);
        Assert.Equal(JsonValueKind.Object, feature.GetProperty("properties").GetProperty("state").ValueKind);
    }

    [Fact]
    public async Task The_area_hierarchy_starts_at_the_district()
    {
        JsonElement body = await GetJson("api/areas");
        JsonElement district = Assert.Single(body.GetProperty("areas").EnumerateArray());
        Assert.Equal("District", district.GetProperty("kind").GetString());
        JsonElement street = district.GetProperty("children")[0];
        Assert.Equal("Street", street.GetProperty("kind").GetString());
        Assert.Equal("Community", street.GetProperty("children")[0].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("api/entities?type=spaceship", 400, "type")]
    [InlineData("api/entities?type=sensor&near=104.06,30.65", 400, "radius")]
    [InlineData("api/entities?type=sensor&near=NaN,30.65&radius=10", 400, "near")]
    [InlineData("api/entities?type=sensor&near=204.06,30.65&radius=10", 400, "near")]
    [InlineData("api/entities?type=sensor&bbox=104.1,30.6,104.0,30.7", 400, "bbox")]
    [InlineData("api/entities?type=sensor&bbox=1,2,3", 400, "bbox")]
    [InlineData("api/entities?type=sensor&q=kind", 400, "q")]
    [InlineData("api/entities?type=sensor&pageSize=5000", 400, "pageSize")]
    [InlineData("api/entities?type=sensor&within=grid-nowhere", 404, null)]
    [InlineData("api/entities/sensor/s-missing", 404, null)]
    [InlineData("api/entities/spaceship/x", 400, "type")]
    public async Task Bad_queries_get_problem_details_that_say_what_was_wrong(string url, int status, string? field)
    {
        using HttpResponseMessage r = await server.Client.GetAsync(url);

        Assert.Equal(status, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        }
    }

    [Fact]
    public async Task Reads_need_a_viewer_key_and_writes_an_operator_key()
    {
        using HttpResponseMessage anonymous = await server.Anonymous.GetAsync("api/areas");
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        using HttpResponseMessage viewerRead = await viewer.GetAsync("api/areas");
        using HttpResponseMessage viewerWrite = await viewer.PostAsJsonAsync("api/telemetry", Array.Empty<object>());
        using HttpClient stranger = server.CreateClient("not-a-key");
        using HttpResponseMessage unknown = await stranger.GetAsync("api/areas");
        using HttpResponseMessage health = await server.Anonymous.GetAsync("health");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrite.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("application/problem+json", viewerWrite.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_entity_endpoints()
    {
        JsonElement doc = await server.Anonymous.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/entities", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/entities/{type}/{id}", out _));
    }

    [Fact]
    public async Task Health_reports_the_store_and_the_silo()
    {
        // Entity grains activate on first use (loading activates none): reading one entity activates its grain.
        string sensorId = server.Directory.OfType(EntityType.Sensor).First().Id;
        using (HttpResponseMessage entity = await server.Client.GetAsync($"api/entities/sensor/{sensorId}"))
        {
            Assert.Equal(HttpStatusCode.OK, entity.StatusCode);
        }

        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement health = await viewer.GetFromJsonAsync<JsonElement>("health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("memory", health.GetProperty("store").GetProperty("kind").GetString());
        JsonElement silo = health.GetProperty("silo");
        Assert.Equal("live", silo.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(silo.GetProperty("address").GetString()));
        Assert.False(silo.GetProperty("isOverloaded").GetBoolean());
        Assert.True(silo.GetProperty("activations").GetInt32() >= 1);
        Assert.Equal(0, silo.GetProperty("eventLogFailures").GetInt64());
    }

    [Fact]
    public async Task Liveness_answers_anonymously_without_silo_statistics()
    {
        using HttpResponseMessage live = await server.Anonymous.GetAsync("health/live");
        JsonElement body = await live.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("silo", out _));
    }

    /// <summary>Sensors within <paramref name="radiusM"/> of a point, nearest first and by id on ties, as the API orders them.</summary>
    private (string Id, string? Kind)[] SensorsNear(GeoPoint centre, double radiusM)
    {
        var projection = server.Directory.Projection;
        return server.Directory.OfType(EntityType.Sensor)
            .Select(s => (s.Id, s.Kind, Distance: projection.DistanceMetres(centre, s.Position)))
            .Where(x => x.Distance <= radiusM)
            .OrderBy(x => x.Distance).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Select(x => (x.Id, x.Kind)).ToArray();
    }

    private async Task<JsonElement> GetJson(string url)
    {
        using HttpResponseMessage r = await server.Client.GetAsync(url);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{url} -> {(int)r.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
