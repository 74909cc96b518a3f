using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// "Acknowledged means logged": on the PostgreSQL store the test locks the event log's table, so the server's append
/// waits in the database. While it waits, a case report, a case transition and a telemetry batch must not be answered
/// (nor applied); once the lock is released each is answered with its 2xx and is in the log.
/// </summary>
[Collection(PostgresTwinCollection.Name)]
public sealed class LoggedBeforeAcknowledgedTests(PostgresTwinServerFixture server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_case_report_is_not_answered_until_its_log_append_commits()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).First();
        Task<HttpResponseMessage> post;
        await using (EventLogTableLock held = await EventLogTableLock.TakeAsync(server.Database))
        {
            post = server.Client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon = building.Position.Lon, lat = building.Position.Lat }, description = "pothole" });
            await AssertWaitingForTheLogAsync(held, post);
        }

        using HttpResponseMessage response = await post;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(["case-report"], await LoggedKindsAsync(id));
    }

    [Fact]
    public async Task A_case_transition_is_not_answered_until_its_log_append_commits()
    {
        EntitySummary building = server.Directory.OfType(EntityType.Building).Last();
        using HttpResponseMessage created = await server.Client.PostAsJsonAsync("api/cases", new { category = "road-damage", location = new { lon = building.Position.Lon, lat = building.Position.Lat } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        Task<HttpResponseMessage> post;
        await using (EventLogTableLock held = await EventLogTableLock.TakeAsync(server.Database))
        {
            post = server.Client.PostAsJsonAsync($"api/cases/{id}/transitions", new { action = "verify", actor = "operator-1" });
            await AssertWaitingForTheLogAsync(held, post);
            // The case grain stores the transition, then appends it to the log with its outcome, in one turn: while the
            // append waits, the case may already show the new stage, but the caller has no answer (checked above).
        }

        using HttpResponseMessage response = await post;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("verified", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(["case-report", "case-transition"], await LoggedKindsAsync(id));
    }

    [Fact]
    public async Task A_telemetry_batch_is_neither_answered_nor_applied_until_its_log_append_commits()
    {
        EntitySummary sensor = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        long countBefore = await StatisticsCountAsync(sensor.Id);
        DateTimeOffset at = DateTimeOffset.UtcNow;

        Task<HttpResponseMessage> post;
        await using (EventLogTableLock held = await EventLogTableLock.TakeAsync(server.Database))
        {
            post = server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = sensor.Id, value = sensor.Value ?? 0, at } });
            await AssertWaitingForTheLogAsync(held, post);
            Assert.Equal(countBefore, await StatisticsCountAsync(sensor.Id));
        }

        using HttpResponseMessage response = await post;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(countBefore + 1, await StatisticsCountAsync(sensor.Id));
        JsonElement logged = await server.Client.GetFromJsonAsync<JsonElement>($"api/events?kind=reading&key={sensor.Id}");
        Assert.Contains(logged.GetProperty("items").EnumerateArray(), e => e.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds() == at.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// The request's append is waiting for the lock, the server still answers other requests, and the request itself
    /// has not been answered: an answer before the commit would have arrived by now.
    /// </summary>
    private async Task AssertWaitingForTheLogAsync(EventLogTableLock held, Task<HttpResponseMessage> post)
    {
        await held.WaitForBlockedWriterAsync(Timeout);
        using HttpResponseMessage health = await server.Client.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        if (post.IsCompleted)
        {
            using HttpResponseMessage early = await post;
            Assert.Fail($"answered {(int)early.StatusCode} while its event-log append was still waiting");
        }
    }

    private async Task<string[]> LoggedKindsAsync(string key)
    {
        JsonElement events = await server.Client.GetFromJsonAsync<JsonElement>($"api/events?key={key}");
        return events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();
    }

    private async Task<long> StatisticsCountAsync(string sensorId) =>
        (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensorId}"))
            .GetProperty("properties").GetProperty("state").GetProperty("statistics").GetProperty("count").GetInt64();
}
