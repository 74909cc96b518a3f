using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Careless and hostile request bodies through the real HTTP host: text that is not Unicode, duplicated keys, over-long
/// fields and non-web photo links are refused with 400 problem details, and nothing of them is stored; request lines and
/// headers over their limits or not UTF-8 are refused with problem details too, up to what Kestrel rejects itself.
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

    [Theory]
    [InlineData(RequestHeadLimits.MaxRequestLineBytes, HttpStatusCode.OK)]
    [InlineData(RequestHeadLimits.MaxRequestLineBytes + 1, HttpStatusCode.RequestUriTooLong)]
    [InlineData(RequestHeadLimits.KestrelMaxRequestLineBytes, HttpStatusCode.RequestUriTooLong)]
    public async Task A_request_line_over_8_KB_is_refused_with_414_problem_details(int lineBytes, HttpStatusCode status)
    {
        // "GET " + target + " HTTP/1.1\r\n" is the request line Kestrel and the limit count.
        string target = "/health?pad=" + new string('x', lineBytes - "GET  HTTP/1.1\r\n".Length - "/health?pad=".Length);

        RawHttpExchange answer = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", target);

        AssertRawAnswer(answer, status, "Request line too long");
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_request_line_over_Kestrels_raised_limit_gets_Kestrels_own_empty_414()
    {
        // Kestrel rejects this itself, before any application code, and has no hook to shape its answer (README).
        string target = "/health?pad=" + new string('x', RequestHeadLimits.KestrelMaxRequestLineBytes);

        RawHttpExchange answer = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", target);

        Assert.Equal(414, answer.Status);
        Assert.Equal(string.Empty, answer.Body);
        await AssertStillAnswersAsync();
    }

    [Theory]
    [InlineData(RequestHeadLimits.MaxHeaderBytes, HttpStatusCode.OK)]
    [InlineData(RequestHeadLimits.MaxHeaderBytes + 1, HttpStatusCode.RequestHeaderFieldsTooLarge)]
    [InlineData(RequestHeadLimits.KestrelMaxHeaderBytes - 1024, HttpStatusCode.RequestHeaderFieldsTooLarge)]
    public async Task Headers_over_32_KB_are_refused_with_431_problem_details(int headerBytes, HttpStatusCode status)
    {
        // Each header counts as "name: value\r\n"; the exchange sends Host and Connection besides the padding.
        int sent = HeaderBytes("Host", server.BaseAddress.Authority) + HeaderBytes("Connection", "close");
        string pad = new('x', headerBytes - sent - HeaderBytes("X-Pad", string.Empty));

        RawHttpExchange answer = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/health", Encoding.ASCII.GetBytes($"X-Pad: {pad}"));

        AssertRawAnswer(answer, status, "Request headers too large");
        await AssertStillAnswersAsync();
    }

    [Theory]
    [InlineData(RequestHeadLimits.MaxHeaderCount, HttpStatusCode.OK)]
    [InlineData(RequestHeadLimits.MaxHeaderCount + 1, HttpStatusCode.RequestHeaderFieldsTooLarge)]
    public async Task More_than_100_headers_are_refused_with_431_problem_details(int headerCount, HttpStatusCode status)
    {
        // Host and Connection are two of them.
        byte[][] headers = Enumerable.Range(0, headerCount - 2).Select(i => Encoding.ASCII.GetBytes($"X-Header-{i}: {i}")).ToArray();

        RawHttpExchange answer = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/health", headers);

        AssertRawAnswer(answer, status, "Request headers too large");
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_header_value_that_is_not_utf8_is_refused_with_400_problem_details_and_nothing_is_stored()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        byte[] body = Encoding.UTF8.GetBytes($$"""[{"sensorId":"{{sensor.Id}}","value":1,"at":"{{DateTimeOffset.UtcNow:O}}"}]""");
        long before = await EventsAsync();

        // A valid batch with a valid key; only the note header's bytes (Latin-1 "café", not UTF-8) are wrong.
        RawHttpExchange answer = await RawHttpExchange.SendWithBodyAsync(server.BaseAddress, "POST", "/api/telemetry", body,
            Encoding.ASCII.GetBytes($"X-Api-Key: {TwinServerFixture.OperatorKey}"), [.. "X-Note: caf"u8, 0xE9]);

        JsonElement problem = AssertRawAnswer(answer, HttpStatusCode.BadRequest, "Bad request");
        Assert.Contains("'X-Note' is not UTF-8", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await EventsAsync());
        await AssertStillAnswersAsync();
    }

    [Fact]
    public async Task A_header_value_of_utf8_text_is_accepted_as_that_text()
    {
        // A key that is UTF-8 text but no configured key: decoded as UTF-8 it is unknown (401), as it was before header
        // values reached the server as Latin-1; and the same key's ASCII spelling still works.
        RawHttpExchange unknown = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/api/areas", Encoding.UTF8.GetBytes("X-Api-Key: clé"), Encoding.UTF8.GetBytes("X-Note: café ☕"));
        RawHttpExchange known = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/api/areas",
            Encoding.ASCII.GetBytes($"X-Api-Key: {TwinServerFixture.ViewerKey}"), Encoding.UTF8.GetBytes("X-Note: café ☕"));

        Assert.Equal(401, unknown.Status);
        Assert.Equal(200, known.Status);
    }

    [Fact]
    public async Task A_nul_in_the_path_or_a_header_is_refused_by_Kestrel_before_any_application_code()
    {
        // Kestrel's URL decoder throws on %00 in the path and answers 400 with an empty body; no option lets the request
        // through (README). A %00 in the query is not decoded by Kestrel: it reaches the API as text, which no entity matches.
        long before = await EventsAsync();

        RawHttpExchange inPath = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/api/entities/sensor/a%00b",
            Encoding.ASCII.GetBytes($"X-Api-Key: {TwinServerFixture.OperatorKey}"));
        RawHttpExchange inQuery = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/api/entities?type=sensor&q=kind==%00",
            Encoding.ASCII.GetBytes($"X-Api-Key: {TwinServerFixture.OperatorKey}"));

        // A NUL byte in a header value is refused by Kestrel in the same way, whatever the header encoding (README).
        RawHttpExchange nulHeader = await RawHttpExchange.SendAsync(server.BaseAddress, "GET", "/health", [.. "X-Note: a"u8, 0x00, .. "b"u8]);

        Assert.Equal(400, inPath.Status);
        Assert.Equal(string.Empty, inPath.Body);
        Assert.Equal(400, nulHeader.Status);
        Assert.Equal(string.Empty, nulHeader.Body);
        Assert.Equal(200, inQuery.Status);
        Assert.Equal(0, JsonDocument.Parse(inQuery.Body).RootElement.GetProperty("features").GetArrayLength());
        Assert.Equal(before, await EventsAsync());
        await AssertStillAnswersAsync();
    }

    private static int HeaderBytes(string name, string value) => name.Length + 2 + value.Length + 2;

    /// <summary>Asserts the status, and for a refusal the problem details (status and title) in the body.</summary>
    private static JsonElement AssertRawAnswer(RawHttpExchange answer, HttpStatusCode status, string title)
    {
        Assert.Equal((int)status, answer.Status);
        if (status == HttpStatusCode.OK)
        {
            return default;
        }

        Assert.StartsWith("application/problem+json", answer.Headers["Content-Type"], StringComparison.Ordinal);
        JsonElement problem = JsonDocument.Parse(answer.Body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());

        return problem;
    }

    /// <summary>The server still answers an ordinary request, and the twin's read model still reads.</summary>
    private async Task AssertStillAnswersAsync()
    {
        using HttpResponseMessage health = await server.Anonymous.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        JsonElement areas = await server.Client.GetFromJsonAsync<JsonElement>("api/areas");
        Assert.NotEqual(JsonValueKind.Undefined, areas.ValueKind);
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
