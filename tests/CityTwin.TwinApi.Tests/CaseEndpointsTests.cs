using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// The case loop through the real HTTP API on the generated district, on each store the server ships with: every test
/// runs on the memory store, on SQLite and on PostgreSQL (the nested classes).
/// </summary>
public abstract class CaseEndpointsTests(TwinServerFixture server)
{
    private const string Photo = "https://photos.example/after.jpg";

    [Fact]
    public async Task A_citizen_report_goes_through_the_loop_with_every_step_in_its_timeline()
    {
        EntitySummary responder = server.Directory.OfType(EntityType.Responder).OrderBy(r => r.Id, StringComparer.Ordinal).First();
        JsonElement created = await ReportAsync("road-damage", responder.Position);
        string id = created.GetProperty("id").GetString()!;
        Assert.Equal(("reported", "citizen"), (created.GetProperty("status").GetString(), created.GetProperty("source").GetString()));
        Assert.Equal(responder.GridId, created.GetProperty("gridId").GetString());

        await Step(id, "verify", "operator-1");
        JsonElement dispatched = await Step(id, "dispatch", "dispatcher-1", assignee: responder.Id);
        await Step(id, "accept", responder.Id);
        await Step(id, "start", responder.Id);
        await Step(id, "resolve", responder.Id, evidence: [Photo]);
        await Step(id, "check", "inspector-1");
        await Step(id, "close", "operator-1");
        JsonElement c = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{id}");

        Assert.Equal(responder.Id, dispatched.GetProperty("assignee").GetString());
        Assert.Equal("closed", c.GetProperty("status").GetString());
        JsonElement[] timeline = c.GetProperty("timeline").EnumerateArray().ToArray();
        Assert.Equal(["report", "verify", "dispatch", "accept", "start", "resolve", "check", "close"], timeline.Select(e => e.GetProperty("action").GetString()));
        Assert.All(timeline, e => Assert.True(e.TryGetProperty("at", out _) && e.GetProperty("actor").GetString()!.Length > 0));
        Assert.Equal([Photo], timeline[5].GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(8, c.GetProperty("stageTimes").EnumerateObject().Count());
    }

    [Fact]
    public async Task An_illegal_transition_is_a_409_problem_listing_the_allowed_actions_and_changes_nothing()
    {
        string id = (await ReportAsync("road-damage", AnyBuilding())).GetProperty("id").GetString()!;

        using HttpResponseMessage r = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "close", actor = "operator-1" });

        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["verify", "reject"], problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        JsonElement c = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{id}");
        Assert.Equal(("reported", 1), (c.GetProperty("status").GetString(), c.GetProperty("timeline").GetArrayLength()));
    }

    [Fact]
    public async Task Two_concurrent_transitions_on_one_case_one_wins_the_other_gets_409()
    {
        string id = (await ReportAsync("road-damage", AnyBuilding())).GetProperty("id").GetString()!;

        HttpResponseMessage[] both = await Task.WhenAll(
            server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify", actor = "alice" }),
            server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "reject", actor = "bob" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        foreach (HttpResponseMessage r in both)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Acknowledged_reports_and_transitions_are_in_the_event_log()
    {
        string id = (await ReportAsync("garbage", AnyBuilding())).GetProperty("id").GetString()!;
        await Step(id, "reject", "operator-1", note: "duplicate of another report");

        JsonElement events = await server.Client.GetFromJsonAsync<JsonElement>($"api/events?key={id}");

        Assert.Equal(["case-report", "case-transition"], events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task The_list_filters_by_state_category_source_and_area_and_pages()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).Last();
        string a = (await ReportAsync("street-light", building.Position, source: "hotline")).GetProperty("id").GetString()!;
        string b = (await ReportAsync("street-light", building.Position, source: "hotline")).GetProperty("id").GetString()!;
        await Step(b, "verify", "operator-1");

        JsonElement reported = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases?category=street-light&source=hotline&state=reported&area={building.GridId}");
        JsonElement page1 = await server.Client.GetFromJsonAsync<JsonElement>("api/cases?category=street-light&pageSize=1&page=1");
        JsonElement page2 = await server.Client.GetFromJsonAsync<JsonElement>("api/cases?category=street-light&pageSize=1&page=2");

        Assert.Contains(a, Ids(reported));
        Assert.DoesNotContain(b, Ids(reported));
        Assert.Equal(page1.GetProperty("total").GetInt32(), page2.GetProperty("total").GetInt32());
        Assert.NotEqual(Ids(page1).Single(), Ids(page2).Single());
    }

    [Fact]
    public async Task A_responder_sees_the_cases_assigned_to_them()
    {
        EntitySummary responder = server.Directory.OfType(EntityType.Responder).OrderBy(r => r.Id, StringComparer.Ordinal).Skip(1).First();
        string id = (await ReportAsync("road-damage", responder.Position)).GetProperty("id").GetString()!;
        await Step(id, "verify", "operator-1");
        await Step(id, "dispatch", "dispatcher-1", assignee: responder.Id);

        JsonElement tasks = await server.Client.GetFromJsonAsync<JsonElement>($"api/responders/{responder.Id}/tasks");

        JsonElement task = Assert.Single(tasks.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("caseId").GetString() == id);
        Assert.Equal("dispatched", task.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"category":"road-damage"}""", "location")]
    [InlineData("""{"category":"road-damage","location":{"lon":204,"lat":30}}""", "location")]
    [InlineData("""{"category":"spaceship","location":{"lon":104,"lat":30}}""", "category")]
    [InlineData("""{"category":"road-damage","location":{"lon":104,"lat":30},"source":"pigeon"}""", "source")]
    [InlineData("""{"category":"illegal-construction","source":"drone"}""", "area")]
    [InlineData("""{"category":"road-damage","location":{"lon":104,"lat":30},"photoUrls":["not a url"]}""", "photoUrls")]
    public async Task Bad_reports_get_problem_details_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage r = await server.Client.PostAsync("api/cases", content);

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        JsonElement problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_drone_change_detection_is_a_polygon_case_located_at_its_centroid()
    {
        EntitySummary b = server.Directory.OfType(EntityType.Building).First();
        double[][] ring = [[b.Position.Lon - 0.001, b.Position.Lat - 0.001], [b.Position.Lon + 0.001, b.Position.Lat - 0.001], [b.Position.Lon, b.Position.Lat + 0.002]];

        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/cases", new { category = "illegal-construction", source = "drone", area = ring, description = "new structure on roof" });

        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        JsonElement c = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, c.GetProperty("area").GetArrayLength());
        Assert.Equal(b.Position.Lon, c.GetProperty("location")[0].GetDouble(), 6);
    }

    [Fact]
    public async Task Unknown_cases_are_404_and_writes_need_an_operator_key()
    {
        using HttpResponseMessage missing = await server.Client.GetAsync("api/cases/case-nope");
        using HttpResponseMessage missingTransition = await server.Client.PostAsJsonAsync("api/cases/case-nope/transitions", new { action = "verify", actor = "x" });
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        using HttpResponseMessage viewerWrite = await viewer.PostAsJsonAsync("api/cases", new { category = "noise", location = new { lon = 104.06, lat = 30.66 } });

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingTransition.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrite.StatusCode);
    }

    private Grains.Geo.GeoPoint AnyBuilding() => server.Directory.OfType(EntityType.Building).First().Position;

    private static IEnumerable<string> Ids(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!);

    private async Task<JsonElement> ReportAsync(string category, Grains.Geo.GeoPoint at, string source = "citizen")
    {
        using HttpResponseMessage r = await server.Client.PostAsJsonAsync("api/cases", new
        {
            location = new { lon = at.Lon, lat = at.Lat },
            category,
            source,
            description = $"{category} reported in a test",
            photoUrls = new[] { "https://photos.example/before.jpg" },
            contact = new { name = "Zhang San", phone = "13700000000" },
        });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> Step(string id, string action, string actor, string? assignee = null, string[]? evidence = null, string? note = null)
    {
        using HttpResponseMessage r = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action, actor, note, evidence, assignee });
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{action}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The case loop on the memory store.</summary>
    public sealed class OnMemory(TwinServerFixture server) : CaseEndpointsTests(server), IClassFixture<TwinServerFixture>;

    /// <summary>The case loop on SQLite, the embedded default store.</summary>
    public sealed class OnSqlite(SqliteTwinServerFixture server) : CaseEndpointsTests(server), IClassFixture<SqliteTwinServerFixture>;

    /// <summary>The case loop on PostgreSQL.</summary>
    [Collection(PostgresTwinCollection.Name)]
    public sealed class OnPostgres(PostgresTwinServerFixture server) : CaseEndpointsTests(server);
}
