using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Pushes end to end, as a front end receives them: inputs go in over HTTP, the twin's rules and the case loop and the
/// scenario runner react, and the pushes arrive on a real WebSocket through Microsoft's SignalR .NET client.
/// </summary>
public sealed class HubPushTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task A_gas_reading_posted_over_http_reaches_a_subscriber_as_an_alert()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor)
            .Where(s => s.Kind == nameof(SensorKind.Gas) && s.Status != "alarm").OrderBy(s => s.Id, StringComparer.Ordinal).First();
        await using HubListener client = await HubListener.ConnectAsync(server.BaseAddress, TwinServerFixture.ViewerKey);
        await client.SubscribeAsync(new { channels = new[] { "alert" } });

        // 100 %LEL is over every gas detector's alarm point.
        using HttpResponseMessage posted = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = sensor.Id, value = 100.0, unit = "%LEL", at = DateTimeOffset.UtcNow } });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        HubListener.Push alert = await client.WaitForPushAsync(p => p.Method == "alert" && EntityId(p) == sensor.Id, $"alert for {sensor.Id}");
        Assert.Equal("gas", alert.Argument.GetProperty("kind").GetString());
        Assert.Equal("sensor", alert.Argument.GetProperty("entityType").GetString(), ignoreCase: true);
    }

    [Fact]
    public async Task Case_reports_and_transitions_reach_a_caseChanged_subscriber_in_order()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        await using HubListener client = await HubListener.ConnectAsync(server.BaseAddress, TwinServerFixture.ViewerKey);
        await client.SubscribeAsync(new { channels = new[] { "caseChanged" } });

        using HttpResponseMessage created = await server.Client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon = building.Position.Lon, lat = building.Position.Lat } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await client.WaitForPushAsync(p => CaseStatus(p, id) == "reported", $"caseChanged for the report of {id}");
        using HttpResponseMessage verified = await server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify", actor = "operator-1" });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        await client.WaitForPushAsync(p => CaseStatus(p, id) == "verified", $"caseChanged for the verification of {id}");

        string[] statuses = client.Pushes.Select(p => CaseStatus(p, id)).OfType<string>().ToArray();
        Assert.Equal(["reported", "verified"], statuses.Distinct());
        Assert.Equal("reported", statuses[0]);
        Assert.All(client.Pushes, p => Assert.Equal("caseChanged", p.Method));
    }

    [Fact]
    public async Task A_scenario_run_reports_its_progress_to_a_scenarioProgress_subscriber_up_to_completion()
    {
        await using HubListener client = await HubListener.ConnectAsync(server.BaseAddress, TwinServerFixture.ViewerKey);
        await client.SubscribeAsync(new { channels = new[] { "scenarioProgress" } });
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);

        using HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/runs", new
        {
            definition = new
            {
                name = "progress-storm", kind = "rainfall", start = "2024-07-10T12:00:00Z", duration = "PT2H", stepSeconds = 60, reportEvery = "PT10M",
                rainfall = new { totalMm = 30, duration = "PT1H", pattern = "uniform", interval = "PT5M" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;

        HubListener.Push done = await client.WaitForPushAsync(p => RunId(p) == id && Status(p) is "completed" or "failed" or "cancelled", $"the final progress of run {id}", TimeSpan.FromMinutes(3));
        Assert.Equal("completed", Status(done));
        Assert.Equal(1.0, done.Argument.GetProperty("progress").GetDouble(), 6);

        // Progress only grows, and the run reported along the way, not just at its end.
        double[] progress = client.Pushes.Where(p => RunId(p) == id).Select(p => p.Argument.GetProperty("progress").GetDouble()).ToArray();
        Assert.True(progress.Length >= 3, $"only {progress.Length} progress pushes");
        Assert.Equal(progress.Order(), progress);
    }

    private static string? EntityId(HubListener.Push p) => p.Argument.TryGetProperty("entityId", out JsonElement id) ? id.GetString() : null;

    private static string? CaseStatus(HubListener.Push p, string caseId) =>
        p.Method == "caseChanged" && p.Argument.GetProperty("caseId").GetString() == caseId ? p.Argument.GetProperty("status").GetString()?.ToLowerInvariant() : null;

    private static string? RunId(HubListener.Push p) => p.Method == "scenarioProgress" ? p.Argument.GetProperty("runId").GetString() : null;

    private static string? Status(HubListener.Push p) => p.Argument.GetProperty("status").GetString()?.ToLowerInvariant();
}
