using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.TestSupport;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Alerts survive a restart of the real executable: the alert of a sensor still in alarm, whose case is still open, is
/// listed by GET /api/alerts after the server was killed (SIGKILL, before any checkpoint wrote the sensor) and started
/// again, once, with the id it had; a graceful restart after that lists it too.
/// </summary>
public sealed class AlertDurabilityTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_alert_of_a_sensor_still_in_alarm_is_listed_after_a_restart(string store)
    {
        using var dir = new TempDirectory();
        await using PostgresDatabase? db = store == "postgres" ? await PostgresDatabase.CreateAsync() : null;

        // No checkpoint before the kill: the sensor's alarm is only in the event log, and the restart replays the reading.
        string[] args = store == "postgres"
            ? ["--store", "postgres", "--connection", db!.ConnectionString, "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:00"]
            : ["--store", "sqlite", "--connection", dir.Combine("twin.db"), "--District:Buildings", "50", "--Silo:CheckpointInterval", "00:00:00"];

        string sensor, alertId, caseId;
        await using (ServerProcess server = await ServerProcess.StartAsync(dir.Path, args))
        {
            JsonElement smoke = await server.Client.GetFromJsonAsync<JsonElement>("api/entities?type=sensor&q=kind==Smoke&pageSize=1");
            sensor = smoke.GetProperty("features")[0].GetProperty("id").GetString()!;
            using HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = sensor, value = 50.0, at = DateTimeOffset.UtcNow } });
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

            alertId = await PollAsync(() => SmokeAlertIdAsync(server, sensor));
            caseId = await PollAsync(() => OpenCaseOfAsync(server, sensor));
            await server.KillAsync();
        }

        await using (ServerProcess restarted = await ServerProcess.StartAsync(dir.Path, args))
        {
            await AssertListedOnceAsync(restarted, sensor, alertId, caseId);

            // A graceful stop writes every state (the sensor's alarm too); the next start lists the alert from the log again.
            await restarted.StopAsync();
        }

        await using (ServerProcess third = await ServerProcess.StartAsync(dir.Path, args))
        {
            await AssertListedOnceAsync(third, sensor, alertId, caseId);
        }
    }

    private static async Task AssertListedOnceAsync(ServerProcess server, string sensor, string alertId, string caseId)
    {
        JsonElement state = await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor}");
        Assert.Equal("alarm", state.GetProperty("properties").GetProperty("status").GetString());
        JsonElement c = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{caseId}");
        Assert.NotEqual("closed", c.GetProperty("status").GetString());

        JsonElement alerts = await server.Client.GetFromJsonAsync<JsonElement>("api/alerts?kind=smoke");
        JsonElement[] forSensor = alerts.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("entityId").GetString() == sensor).ToArray();
        JsonElement only = Assert.Single(forSensor);
        Assert.Equal(alertId, only.GetProperty("id").GetString());
        Assert.Equal("critical", only.GetProperty("severity").GetString());
        Assert.Equal("sensor", only.GetProperty("entityType").GetString());
    }

    private static async Task<string?> SmokeAlertIdAsync(ServerProcess server, string sensor)
    {
        JsonElement alerts = await server.Client.GetFromJsonAsync<JsonElement>("api/alerts?kind=smoke");
        return alerts.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("entityId").GetString() == sensor)
            .Select(a => a.GetProperty("id").GetString()).FirstOrDefault();
    }

    // The case intake turns the alert into a case just after the reading's answer: poll for it, a minute at most.
    private static async Task<T> PollAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(1); ; await Task.Delay(100))
        {
            if (await read() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "not there after a minute");
        }
    }

    private static async Task<string?> OpenCaseOfAsync(ServerProcess server, string sensor)
    {
        JsonElement cases = await server.Client.GetFromJsonAsync<JsonElement>("api/cases?source=sensor&pageSize=1000");
        foreach (JsonElement item in cases.GetProperty("items").EnumerateArray())
        {
            string id = item.GetProperty("id").GetString()!;
            JsonElement c = await server.Client.GetFromJsonAsync<JsonElement>($"api/cases/{id}");
            if (c.GetProperty("reporter").GetString() == sensor)
            {
                return id;
            }
        }

        return null;
    }
}
