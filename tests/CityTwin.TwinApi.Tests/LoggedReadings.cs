using System.Net.Http.Json;
using System.Text.Json;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Every reading in a server's event log, read through <c>GET /api/events</c>: each named "sensor|unix ms" (tests give
/// every reading a timestamp of its own) and, per sensor, how many there are and their sum.
/// </summary>
/// <param name="Names">"sensor|unix ms" of every logged reading.</param>
/// <param name="PerSensor">Per sensor: the logged readings and the sum of their values.</param>
internal sealed record LoggedReadings(HashSet<string> Names, Dictionary<string, (long Count, double Sum)> PerSensor)
{
    /// <summary>Reads the whole log of readings, page by page.</summary>
    public static async Task<LoggedReadings> ReadAsync(HttpClient client)
    {
        var names = new HashSet<string>();
        var perSensor = new Dictionary<string, (long Count, double Sum)>();
        long? after = null;
        do
        {
            JsonElement page = await client.GetFromJsonAsync<JsonElement>($"api/events?kind=reading&limit=10000{(after is null ? "" : $"&after={after}")}");
            foreach (JsonElement e in page.GetProperty("items").EnumerateArray())
            {
                string key = e.GetProperty("key").GetString()!;
                names.Add($"{key}|{e.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds()}");
                (long count, double sum) = perSensor.GetValueOrDefault(key);
                perSensor[key] = (count + 1, sum + e.GetProperty("payload").GetProperty("value").GetDouble());
            }

            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
        }
        while (after is not null);

        return new LoggedReadings(names, perSensor);
    }
}
