using System.Net.Http.Json;
using System.Text.Json;

namespace CityTwin.TwinApi.Tests;

/// <summary>Polls a scenario run over the API until it has finished.</summary>
public static class ScenarioRunWait
{
    /// <summary>The run's view once its status is completed, failed or cancelled; fails after a generous deadline.</summary>
    public static async Task<JsonElement> UntilFinishedAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            JsonElement run = await client.GetFromJsonAsync<JsonElement>($"api/scenarios/runs/{id}");
            string status = run.GetProperty("status").GetString()!;
            if (status is "completed" or "failed" or "cancelled")
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {id} still {status}");
            await Task.Delay(100);
        }
    }
}
