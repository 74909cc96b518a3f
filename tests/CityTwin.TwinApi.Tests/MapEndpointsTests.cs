using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>What the map draws from: GET /api/map/features (every entity of a type, cells as squares) and GET /api/session.</summary>
public sealed class MapEndpointsTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Theory]
    [InlineData("area")]
    [InlineData("building")]
    [InlineData("sensor")]
    [InlineData("gauge")]
    [InlineData("vehicle")]
    [InlineData("station")]
    public async Task Every_entity_of_a_type_comes_in_one_answer_with_its_status(string type)
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement map = await viewer.GetFromJsonAsync<JsonElement>($"api/map/features?type={type}");

        EntityType entityType = Enum.Parse<EntityType>(type, ignoreCase: true);
        Dictionary<string, EntitySummary> expected = server.Directory.OfType(entityType).ToDictionary(s => s.Id);
        JsonElement[] features = [.. map.GetProperty("features").EnumerateArray()];
        Assert.NotEmpty(features);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), features.Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        foreach (JsonElement f in features)
        {
            EntitySummary s = expected[f.GetProperty("id").GetString()!];
            JsonElement p = f.GetProperty("properties");
            // A sensor may go offline between the answer and this check; the others change only when told to.
            if (entityType == EntityType.Sensor)
            {
                Assert.Contains(p.GetProperty("status").GetString(), new[] { "normal", "alarm", "offline", "lowBattery" });
            }
            else
            {
                Assert.Equal(s.Status, p.GetProperty("status").GetString());
            }
            string geometry = f.GetProperty("geometry").GetProperty("type").GetString()!;
            Assert.Equal(s.Shape is { Length: >= 3 } ? "Polygon" : "Point", geometry);
        }
    }

    [Fact]
    public async Task Gauges_carry_their_tier_and_responders_no_name()
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement gauges = await viewer.GetFromJsonAsync<JsonElement>("api/map/features?type=gauge");
        Assert.All(gauges.GetProperty("features").EnumerateArray(), g => Assert.False(string.IsNullOrEmpty(g.GetProperty("properties").GetProperty("tier").GetString())));
        JsonElement responders = await viewer.GetFromJsonAsync<JsonElement>("api/map/features?type=responder");
        Assert.NotEmpty(responders.GetProperty("features").EnumerateArray());
        Assert.All(responders.GetProperty("features").EnumerateArray(), r => Assert.False(r.GetProperty("properties").TryGetProperty("name", out _)));
    }

    [Fact]
    public async Task Cells_are_100_m_squares_around_their_centres()
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement map = await viewer.GetFromJsonAsync<JsonElement>("api/map/features?type=cell");
        JsonElement[] cells = [.. map.GetProperty("features").EnumerateArray()];
        Assert.Equal(server.Directory.OfType(EntityType.Cell).Count(), cells.Length);
        Assert.Contains(cells, c => c.GetProperty("properties").GetProperty("kind").GetString() == "river");
        foreach (JsonElement cell in cells.Take(50))
        {
            double[][] ring = [.. cell.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() })];
            Assert.Equal(5, ring.Length);
            Assert.Equal(ring[0], ring[4]);

            // Side lengths by the haversine formula on the WGS84 mean radius, independent of the UTM projection that made
            // the square: a 100 m UTM square is 100 m on the ground to well under a metre here (scale factor ~0.9996-1.0).
            for (int i = 0; i < 4; i++)
            {
                Assert.InRange(Haversine(ring[i], ring[i + 1]), 99.5, 100.5);
            }

            EntitySummary summary = server.Directory.Get(EntityType.Cell, cell.GetProperty("id").GetString()!)!;
            Assert.InRange(summary.Position.Lon, ring.Min(p => p[0]), ring.Max(p => p[0]));
            Assert.InRange(summary.Position.Lat, ring.Min(p => p[1]), ring.Max(p => p[1]));
        }
    }

    [Fact]
    public async Task Home_sensors_are_drawn_through_their_building_while_normal()
    {
        // A gas reading over the alarm threshold (the page test's 60 %LEL) puts one home sensor into alarm.
        EntitySummary alarmed = server.Directory.OfType(EntityType.Sensor)
            .Where(s => string.Equals(s.Kind, nameof(SensorKind.Gas), StringComparison.OrdinalIgnoreCase) && s.BuildingId is not null && s.Status == "normal")
            .OrderBy(s => s.Id, StringComparer.Ordinal).Last();
        using (HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = alarmed.Id, value = 60.0, at = DateTimeOffset.UtcNow } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        await AsyncWait.UntilAsync(() => Task.FromResult(server.Directory.Get(alarmed.Id)?.Status == "alarm"), TimeSpan.FromSeconds(30), $"{alarmed.Id} in alarm");

        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement map = await viewer.GetFromJsonAsync<JsonElement>("api/map/features?type=sensor&homeSensors=attention");
        Dictionary<string, JsonElement> byId = map.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!, f => f.GetProperty("properties").Clone());
        EntitySummary[] sensors = [.. server.Directory.OfType(EntityType.Sensor)];

        // Every street sensor and the alarmed home sensor are there; no home sensor that was normal both before and after.
        Assert.All(sensors.Where(s => s.BuildingId is null), s => Assert.True(byId.ContainsKey(s.Id), $"street sensor {s.Id} is missing"));
        Assert.Equal("alarm", byId[alarmed.Id].GetProperty("status").GetString());
        Assert.Equal(alarmed.BuildingId, byId[alarmed.Id].GetProperty("buildingId").GetString());
        Assert.DoesNotContain(byId, kv => kv.Value.TryGetProperty("buildingId", out _) && kv.Value.GetProperty("status").GetString() == "normal"
            && server.Directory.Get(kv.Key)?.Status == "normal");
        Assert.True(byId.Count < sensors.Length / 2, $"{byId.Count} of {sensors.Length} sensors came back");

        // The building counts its sensors, so the map still accounts for every one of them.
        JsonElement buildings = await viewer.GetFromJsonAsync<JsonElement>("api/map/features?type=building");
        int counted = buildings.GetProperty("features").EnumerateArray().Sum(b => b.GetProperty("properties").GetProperty("sensors").GetInt32());
        Assert.Equal(sensors.Count(s => s.BuildingId is not null), counted);
    }

    [Fact]
    public async Task Positions_are_rounded_to_a_tenth_of_a_metre()
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement map = await viewer.GetFromJsonAsync<JsonElement>("api/map/features?type=station");
        JsonElement[] stations = [.. map.GetProperty("features").EnumerateArray()];
        Assert.NotEmpty(stations);
        foreach (JsonElement f in stations)
        {
            EntitySummary s = server.Directory.Get(f.GetProperty("id").GetString()!)!;
            JsonElement c = f.GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(Math.Round(s.Position.Lon, 6), c[0].GetDouble());
            Assert.Equal(Math.Round(s.Position.Lat, 6), c[1].GetDouble());
            Assert.True(c[0].GetRawText().Length <= "104.123456".Length, c[0].GetRawText());
        }
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Map_layers_are_compressed_for_clients_that_accept_it(string encoding)
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/map/features?type=building");
        request.Headers.AcceptEncoding.ParseAdd(encoding);
        using HttpResponseMessage compressed = await viewer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
        byte[] body = await compressed.Content.ReadAsByteArrayAsync();

        using HttpResponseMessage plain = await viewer.GetAsync("api/map/features?type=building");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        byte[] expected = await plain.Content.ReadAsByteArrayAsync();
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br"
            ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        await decoder.CopyToAsync(output);
        // The same features either way (a status may change between the two answers, the ids do not).
        static string[] Ids(byte[] json)
        {
            using JsonDocument d = JsonDocument.Parse(json);
            return [.. d.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];
        }

        Assert.Equal(Ids(expected), Ids(output.ToArray()));
        Assert.True(body.Length * 3 < expected.Length, $"{body.Length} bytes compressed of {expected.Length}");
    }

    [Theory]
    [InlineData("api/map/features?type=sensor&homeSensors=some")]
    [InlineData("api/map/features?type=building&homeSensors=attention")]
    [InlineData("api/map/features")]
    [InlineData("api/map/features?type=spaceship")]
    [InlineData("api/map/features?type=case")]
    public async Task A_bad_type_gets_problem_details(string url)
    {
        using HttpResponseMessage r = await server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Map_features_need_a_key_when_anonymous_reads_are_off()
    {
        using HttpResponseMessage r = await server.Anonymous.GetAsync("api/map/features?type=building");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Theory]
    [InlineData(TwinServerFixture.ViewerKey, "viewer")]
    [InlineData(TwinServerFixture.OperatorKey, "operator")]
    [InlineData(TwinServerFixture.PlannerKey, "planner")]
    [InlineData("not-a-key", null)]
    [InlineData(null, null)]
    public async Task The_session_names_the_role_of_the_key(string? key, string? role)
    {
        using HttpClient client = server.CreateClient(key);
        JsonElement session = await client.GetFromJsonAsync<JsonElement>("api/session");
        Assert.Equal(role, session.GetProperty("role").GetString());
        Assert.False(session.GetProperty("anonymousRead").GetBoolean());
    }

    private static double Haversine(double[] a, double[] b)
    {
        const double R = 6_371_008.8;
        double rad = Math.PI / 180;
        double dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(a[1] * rad) * Math.Cos(b[1] * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Sqrt(h));
    }
}
