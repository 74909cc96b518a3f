using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Silo.EventLog;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// What the API shows to whom: names and phone numbers (case reporters and contacts, building contacts, alert
/// recipients) to operators and above only, the event log to operators, /health beyond its status only to callers with
/// a key, a key in the query string only on the hub, no server paths in error messages, the stock scenarios to readers.
/// </summary>
public sealed class ApiExposureTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private const string Reporter = "Wang Wu", Phone = "13612345678";

    [Fact]
    public async Task A_viewer_sees_a_case_without_its_reporter_and_contact_and_cannot_read_the_event_log()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        using HttpResponseMessage created = await server.Client.PostAsJsonAsync("api/cases", new
        {
            category = "noise",
            location = new { lon = building.Position.Lon, lat = building.Position.Lat },
            reporter = Reporter,
            contact = new { name = Reporter, phone = Phone },
        });
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);

        string seenByViewer = await viewer.GetStringAsync($"api/cases/{id}");
        JsonElement seenByOperator = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{id}");
        using HttpResponseMessage events = await viewer.GetAsync($"api/events?key={id}");

        Assert.DoesNotContain(Reporter, seenByViewer, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, seenByViewer, StringComparison.Ordinal);
        Assert.Equal(id, JsonDocument.Parse(seenByViewer).RootElement.GetProperty("id").GetString());
        Assert.Equal(Reporter, seenByOperator.GetProperty("reporter").GetString());
        Assert.Equal(Phone, seenByOperator.GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, events.StatusCode);
        Assert.Equal("application/problem+json", events.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_viewer_sees_alerts_and_buildings_without_the_names_and_phones_of_their_contacts()
    {
        EntitySummary sos = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal)
            .First(s => s.Kind == nameof(SensorKind.SosButton) && s.BuildingId is not null);
        using (HttpResponseMessage pressed = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = sos.Id, value = 1.0, at = DateTimeOffset.UtcNow } }))
        {
            Assert.Equal(1, (await pressed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        }

        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        JsonElement[] operatorAlerts = await SosAlertsAsync(server.Client, sos.Id);
        JsonElement[] viewerAlerts = await SosAlertsAsync(viewer, sos.Id);
        JsonElement operatorBuilding = await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/building/{sos.BuildingId}");
        JsonElement viewerBuilding = await viewer.GetFromJsonAsync<JsonElement>($"api/entities/building/{sos.BuildingId}");

        JsonElement[] recipients = [.. Assert.Single(operatorAlerts).GetProperty("recipients").EnumerateArray()];
        Assert.NotEmpty(recipients);
        Assert.All(recipients, r => Assert.NotEqual("", r.GetProperty("phone").GetString()));
        JsonElement[] withheld = [.. Assert.Single(viewerAlerts).GetProperty("recipients").EnumerateArray()];
        Assert.Equal(recipients.Select(r => r.GetProperty("role").GetString()), withheld.Select(r => r.GetProperty("role").GetString()));
        Assert.All(withheld, r => Assert.Equal(("", ""), (r.GetProperty("name").GetString(), r.GetProperty("phone").GetString())));

        JsonElement[] contacts = [.. Contacts(operatorBuilding)];
        Assert.NotEmpty(contacts);
        Assert.All(contacts, c => Assert.NotEqual("", c.GetProperty("phone").GetString()));
        Assert.All(Contacts(viewerBuilding), c => Assert.Equal(("", ""), (c.GetProperty("name").GetString(), c.GetProperty("phone").GetString())));
        Assert.Equal(contacts.Length, Contacts(viewerBuilding).Count());
    }

    [Fact]
    public async Task Health_shows_an_anonymous_caller_its_status_only()
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);

        JsonElement anonymous = await server.Anonymous.GetFromJsonAsync<JsonElement>("health");
        JsonElement keyed = await viewer.GetFromJsonAsync<JsonElement>("health");

        Assert.Equal([("status", "ok")], anonymous.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        Assert.True(keyed.TryGetProperty("version", out _) && keyed.TryGetProperty("store", out _) && keyed.TryGetProperty("silo", out _));
    }

    [Fact]
    public async Task A_key_in_the_query_string_opens_the_hub_only()
    {
        long logged = await server.Services.GetRequiredService<IEventLog>().CountAsync();
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First();

        using HttpResponseMessage read = await server.Anonymous.GetAsync($"api/areas?access_token={TwinServerFixture.ViewerKey}");
        using HttpResponseMessage write = await server.Anonymous.PostAsJsonAsync($"api/telemetry?access_token={TwinServerFixture.OperatorKey}",
            new[] { new { sensorId = sensor.Id, value = 0.0, at = DateTimeOffset.UtcNow } });
        await using SignalRTestClient hub = await SignalRTestClient.ConnectAsync(new Uri(server.BaseAddress, $"hubs/twin?access_token={TwinServerFixture.ViewerKey}"), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Equal(logged, await server.Services.GetRequiredService<IEventLog>().CountAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => SignalRTestClient.ConnectAsync(new Uri(server.BaseAddress, "hubs/twin?access_token=not-a-key"), apiKey: null));
    }

    [Fact]
    public async Task An_error_message_names_a_setting_not_a_path_of_the_servers_disk()
    {
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);

        using HttpResponseMessage response = await planner.PostAsJsonAsync("api/scenarios/runs", new { stock = "gas-leak", snapshot = "nowhere" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("Scenarios:SnapshotDirectory", detail);
        Assert.DoesNotContain(Path.GetFullPath("snapshots"), detail, StringComparison.Ordinal);
        Assert.DoesNotContain(AppContext.BaseDirectory.TrimEnd('/'), detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_the_stock_scenarios_is_a_read()
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);

        JsonElement stock = await viewer.GetFromJsonAsync<JsonElement>("api/scenarios/stock");
        using HttpResponseMessage anonymous = await server.Anonymous.GetAsync("api/scenarios/stock");
        using HttpResponseMessage run = await viewer.PostAsJsonAsync("api/scenarios/runs", new { stock = "gas-leak" });

        Assert.Contains("heavy-rainfall", stock.GetProperty("stock").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
    }

    private static IEnumerable<JsonElement> Contacts(JsonElement building) =>
        building.GetProperty("properties").GetProperty("state").GetProperty("definition").GetProperty("contacts").EnumerateArray();

    private static async Task<JsonElement[]> SosAlertsAsync(HttpClient client, string sensorId)
    {
        JsonElement alerts = await client.GetFromJsonAsync<JsonElement>("api/alerts?kind=sos&limit=1000");
        return [.. alerts.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("entityId").GetString() == sensorId)];
    }
}
