using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Silo.EventLog;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Careless and hostile request bodies through the real HTTP host: text that is not Unicode, duplicated keys, over-long
/// fields and non-web photo links are refused with 400 problem details, and nothing of them is stored.
/// </summary>
public sealed class HostileInputTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private const string Bad = "<BAD>";

    // An escaped lone high surrogate: valid JSON and valid UTF-8, but no text.
    private static readonly byte[] LoneSurrogate = "\\ud800"u8.ToArray();

    // Bytes that are not UTF-8 at all.
    private static readonly byte[] InvalidUtf8 = [0xFF, 0xFE, 0x41];

    public static TheoryData<string, bool> EndpointKinds()
    {
        var data = new TheoryData<string, bool>();
        foreach (string kind in new[] { "telemetry", "positions", "cases", "transitions", "scenario-runs", "replays" })
        {
            data.Add(kind, true);
            data.Add(kind, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointKinds))]
    public async Task Text_that_is_not_unicode_is_refused_with_400_and_nothing_is_stored(string kind, bool surrogate)
    {
        string caseId = await NewCaseAsync();
        (string path, string template, string key) = Request(kind, caseId);
        byte[] bad = surrogate ? LoneSurrogate : InvalidUtf8;
        (long events, int runs, int timeline) before = await StoredAsync(caseId);

        using HttpResponseMessage response = await PostBytesAsync(path, template, bad, key);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await StoredAsync(caseId));
    }

    [Theory]
    [InlineData("telemetry")]
    [InlineData("cases")]
    [InlineData("transitions")]
    [InlineData("replays")]
    public async Task A_key_given_twice_is_refused_with_400_and_nothing_is_stored(string kind)
    {
        string caseId = await NewCaseAsync();
        (string path, string template, string key) = Request(kind, caseId);
        // The first key of the body's first object appears twice: which value would count is a guess.
        string body = template.Replace(Bad, "x", StringComparison.Ordinal);
        int brace = body.IndexOf('{', StringComparison.Ordinal);
        int firstComma = body.IndexOf(',', brace);
        string duplicated = body[..(brace + 1)] + body[(brace + 1)..firstComma] + "," + body[(brace + 1)..];
        (long, int, int) before = await StoredAsync(caseId);

        using HttpResponseMessage response = await PostBytesAsync(path, duplicated, [], key);

        JsonElement problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Duplicate property", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await StoredAsync(caseId));
    }

    [Theory]
    [InlineData("reporter", 200)]
    [InlineData("description", 4000)]
    [InlineData("contact.name", 200)]
    [InlineData("contact.phone", 40)]
    public async Task An_over_long_report_field_is_refused_naming_the_field_and_its_limit(string field, int limit)
    {
        long before = await EventsAsync();
        string text = new('x', 1 << 20);
        object contact = field.StartsWith("contact.", StringComparison.Ordinal)
            ? new Dictionary<string, string> { [field["contact.".Length..]] = text }
            : new Dictionary<string, string>();
        var body = new Dictionary<string, object?>
        {
            ["category"] = "road-damage",
            ["location"] = new { lon = AnyBuilding().Lon, lat = AnyBuilding().Lat },
            ["contact"] = contact,
        };
        if (!field.StartsWith("contact.", StringComparison.Ordinal))
        {
            body[field] = text;
        }

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/cases", body);

        JsonElement problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"{field} is limited to {limit} characters", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await EventsAsync());
    }

    [Theory]
    [InlineData("actor", 200)]
    [InlineData("note", 4000)]
    [InlineData("assignee", 200)]
    public async Task An_over_long_transition_field_is_refused_and_the_case_is_unchanged(string field, int limit)
    {
        string id = await NewCaseAsync();
        (long, int, int) before = await StoredAsync(id);
        var body = new Dictionary<string, string> { ["action"] = "verify", ["actor"] = "operator-1", [field] = new string('x', 1 << 20) };

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", body);

        JsonElement problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"{field} is limited to {limit} characters", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await StoredAsync(id));
        JsonElement c = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{id}");
        Assert.Equal("reported", c.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_over_long_unit_is_refused_and_the_sensor_keeps_its_unit()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First(s => s.Unit is not null);
        string entityBefore = await server.Client.GetStringAsync($"api/entities/sensor/{sensor.Id}");
        long before = await EventsAsync();

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", new[]
        {
            new { sensorId = sensor.Id, value = 1.0, unit = new string('u', 1 << 20), at = DateTimeOffset.UtcNow },
        });

        // A batch answers per reading: this one is refused, naming the field and the limit; nothing is logged or applied.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, result.GetProperty("accepted").GetInt32());
        Assert.Contains("unit is limited to 32 characters", result.GetProperty("errors")[0].GetProperty("error").GetString());
        Assert.Equal(before, await EventsAsync());
        Assert.Equal(sensor.Unit, server.Directory.Get(EntityType.Sensor, sensor.Id)!.Unit);
        Assert.Equal(entityBefore, await server.Client.GetStringAsync($"api/entities/sensor/{sensor.Id}"));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://photos.example/a.jpg")]
    [InlineData("data:image/png;base64,AAAA")]
    [InlineData("/relative/photo.jpg")]
    public async Task A_photo_url_that_is_not_http_is_refused(string url)
    {
        long before = await EventsAsync();

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/cases", new
        {
            category = "road-damage",
            location = new { lon = AnyBuilding().Lon, lat = AnyBuilding().Lat },
            photoUrls = new[] { "https://photos.example/ok.jpg", url },
        });

        JsonElement problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("photoUrls", out _));
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Http_and_https_photo_urls_are_kept()
    {
        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/cases", new
        {
            category = "road-damage",
            location = new { lon = AnyBuilding().Lon, lat = AnyBuilding().Lat },
            photoUrls = new[] { "https://photos.example/a.jpg", "http://photos.example/b.jpg" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["https://photos.example/a.jpg", "http://photos.example/b.jpg"], created.GetProperty("photoUrls").EnumerateArray().Select(e => e.GetString()));
    }

    private (string Path, string Template, string Key) Request(string kind, string caseId)
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        EntitySummary vehicle = server.Directory.OfType(EntityType.Vehicle).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        Grains.Geo.GeoPoint at = AnyBuilding();
        string now = DateTimeOffset.UtcNow.ToString("O");
        string lon = at.Lon.ToString(System.Globalization.CultureInfo.InvariantCulture), lat = at.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return kind switch
        {
            "telemetry" => ("api/telemetry", $$"""[{"sensorId":"{{sensor.Id}}","value":1,"unit":"{{Bad}}","at":"{{now}}"}]""", TwinServerFixture.OperatorKey),
            "positions" => ("api/vehicles/positions", $$"""[{"vehicleId":"{{vehicle.Id}}","lon":{{lon}},"lat":{{lat}},"at":"{{now}}","note":"{{Bad}}"}]""", TwinServerFixture.OperatorKey),
            "cases" => ("api/cases", $$"""{"category":"road-damage","location":{"lon":{{lon}},"lat":{{lat}}},"description":"{{Bad}}"}""", TwinServerFixture.OperatorKey),
            "transitions" => ($"api/cases/{caseId}/transitions", $$"""{"action":"verify","actor":"operator-{{Bad}}"}""", TwinServerFixture.OperatorKey),
            "scenario-runs" => ("api/scenarios/runs", $$"""{"stock":"gas-leak","snapshot":"{{Bad}}"}""", TwinServerFixture.PlannerKey),
            "replays" => ("api/scenarios/replays", $$"""{"from":"2026-01-01T00:00:00Z","to":"2026-01-01T01:00:00Z","note":"{{Bad}}"}""", TwinServerFixture.PlannerKey),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private async Task<HttpResponseMessage> PostBytesAsync(string path, string template, byte[] bad, string key)
    {
        string[] parts = template.Split(Bad);
        byte[] body = parts.Length == 1
            ? Encoding.UTF8.GetBytes(template)
            : [.. Encoding.UTF8.GetBytes(parts[0]), .. bad, .. Encoding.UTF8.GetBytes(parts[1])];
        using HttpClient client = server.CreateClient(key);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.PostAsync(path, content);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private async Task<string> NewCaseAsync()
    {
        Grains.Geo.GeoPoint at = AnyBuilding();
        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon = at.Lon, lat = at.Lat } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>What a refused request must not change: the event log, the scenario runs, the case's timeline.</summary>
    private async Task<(long Events, int Runs, int Timeline)> StoredAsync(string caseId)
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        JsonElement runs = await planner.GetFromJsonAsync<JsonElement>("api/scenarios/runs");
        JsonElement c = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{caseId}");
        return (await EventsAsync(), runs.GetProperty("runs").GetArrayLength(), c.GetProperty("timeline").GetArrayLength());
    }

    private Task<long> EventsAsync() => server.EventLog.CountAsync();

    private Grains.Geo.GeoPoint AnyBuilding() =>
        server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First().Position;
}
