using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Scenarios.Runs;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// One way to write an enum: the answers of the main endpoints (entities and their states, alerts, cases, KPIs, events,
/// health, a gas run's result) hold no enum written as a number, and the OpenAPI document lists the allowed names of
/// the enums in answers and in the request bodies it describes.
/// </summary>
public sealed class EnumJsonTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    // The JSON names of every enum-typed property of our types: a number under one of these names is an enum as a number.
    private static readonly HashSet<string> EnumProperties = [.. new[] { typeof(Alert).Assembly, typeof(ScenarioResult).Assembly, typeof(TwinServer).Assembly }
        .SelectMany(a => a.GetTypes())
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(p => IsEnum(p.PropertyType))
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

    [Fact]
    public async Task No_answer_of_the_main_endpoints_writes_an_enum_as_a_number()
    {
        Assert.Contains("severity", EnumProperties);
        Assert.Contains("entityType", EnumProperties);
        Assert.Contains("stabilityClass", EnumProperties);

        // An alarm (alert, case) and a vehicle fix, so the lists are not empty.
        EntitySummary gas = server.Directory.OfType(EntityType.Sensor).Where(s => s.Kind == nameof(SensorKind.Gas) && s.BuildingId is not null).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        EntitySummary vehicle = server.Directory.OfType(EntityType.Vehicle).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        using (HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/telemetry", new[] { new { sensorId = gas.Id, value = 60.0, at = DateTimeOffset.UtcNow } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        using (HttpResponseMessage post = await server.Client.PostAsJsonAsync("api/vehicles/positions", new[] { new { vehicleId = vehicle.Id, lon = vehicle.Position.Lon, lat = vehicle.Position.Lat, at = DateTimeOffset.UtcNow } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        }

        JsonElement cases = await Eventually("api/cases?pageSize=10", c => c.GetProperty("items").GetArrayLength() > 0);
        string caseId = cases.GetProperty("items")[0].GetProperty("id").GetString()!;
        string gauge = server.Directory.OfType(EntityType.Gauge).First().Id;
        string building = gas.BuildingId!;
        string[] urls =
        [
            "health", "api/alerts", "api/areas", "api/areas/district/vitals", "api/entities?type=sensor&pageSize=100",
            $"api/entities/sensor/{gas.Id}", $"api/entities/building/{building}", $"api/entities/vehicle/{vehicle.Id}", $"api/entities/gauge/{gauge}",
            $"api/vehicles/{vehicle.Id}/trajectory", "api/cases?pageSize=100", $"api/cases/{caseId}", "api/cases/categories", "api/kpis", "api/heatmap",
            "api/events?limit=200",
        ];
        var numbers = new List<string>();
        foreach (string url in urls)
        {
            using HttpResponseMessage r = await server.Client.GetAsync(url);
            Assert.True(r.IsSuccessStatusCode, $"{url}: {(int)r.StatusCode}");
            using JsonDocument doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
            Walk(doc.RootElement, url, numbers);
        }

        // A gas run's report (its stability class, its timeline's severities).
        using HttpClient planner = server.CreateClient(TwinServerFixture.PlannerKey);
        using HttpResponseMessage accepted = await planner.PostAsJsonAsync("api/scenarios/runs", new { stock = "gas-leak" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string run = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        JsonElement finished = await Eventually($"api/scenarios/runs/{run}", r => r.GetProperty("status").GetString() is "completed" or "failed", planner);
        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, finished.GetProperty("result").GetProperty("stabilityClass").ValueKind);
        Walk(finished, "gas run", numbers);

        Assert.True(numbers.Count == 0, "enums written as numbers:\n" + string.Join("\n", numbers.Take(20)));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_enum_names_and_describes_request_and_case_bodies()
    {
        using JsonDocument doc = JsonDocument.Parse(await server.Anonymous.GetStringAsync("openapi/v1.json"));
        JsonElement schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.Contains("critical", EnumNames(schemas, "Alert", "severity"));
        Assert.Contains("sensor", EnumNames(schemas, "Alert", "entityType"));
        Assert.Contains("ai-camera", EnumNames(schemas, "CaseReportBody", "source"));
        Assert.Contains("fail-check", EnumNames(schemas, "CaseTransitionBody", "action"));
        Assert.True(schemas.GetProperty("CaseView").GetProperty("properties").TryGetProperty("timeline", out _));

        JsonElement paths = doc.RootElement.GetProperty("paths");
        Assert.Contains("CaseReportBody", paths.GetProperty("/api/cases").GetProperty("post").GetProperty("requestBody").GetRawText());
        Assert.Contains("CaseTransitionBody", paths.GetProperty("/api/cases/{id}/transitions").GetProperty("post").GetProperty("requestBody").GetRawText());
        Assert.Contains("CaseView", paths.GetProperty("/api/cases/{id}").GetProperty("get").GetProperty("responses").GetRawText());
        Assert.Contains("ReadingInput", paths.GetProperty("/api/telemetry").GetProperty("post").GetProperty("requestBody").GetRawText());
    }

    /// <summary>The enum names a schema's property allows, following references (and nullable wrappers) to the enum's schema.</summary>
    private static string[] EnumNames(JsonElement schemas, string schema, string property)
    {
        JsonElement p = schemas.GetProperty(schema).GetProperty("properties").GetProperty(property);
        var names = new List<string>();
        Collect(p, schemas, names, 0);
        Assert.True(names.Count > 0, $"{schema}.{property} lists no enum names: {p}");
        return [.. names];
    }

    private static void Collect(JsonElement e, JsonElement schemas, List<string> names, int depth)
    {
        if (depth > 5 || e.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (p.Name == "enum")
            {
                names.AddRange(p.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!));
            }
            else if (p.Name == "$ref" && p.Value.GetString() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
            {
                Collect(schemas.GetProperty(reference["#/components/schemas/".Length..]), schemas, names, depth + 1);
            }
            else if (p.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in p.Value.EnumerateArray())
                {
                    Collect(item, schemas, names, depth + 1);
                }
            }
            else if (p.Value.ValueKind == JsonValueKind.Object && p.Name is "items" or "allOf" or "oneOf" or "anyOf")
            {
                Collect(p.Value, schemas, names, depth + 1);
            }
        }
    }

    private static void Walk(JsonElement e, string path, List<string> numbers)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty p in e.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Number && EnumProperties.Contains(p.Name))
                    {
                        numbers.Add($"{path}.{p.Name} = {p.Value}");
                    }

                    Walk(p.Value, $"{path}.{p.Name}", numbers);
                }

                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (JsonElement item in e.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", numbers);
                }

                break;
        }
    }

    private async Task<JsonElement> Eventually(string url, Func<JsonElement, bool> done, HttpClient? client = null)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(3); ; await Task.Delay(100))
        {
            JsonElement answer = await (client ?? server.Client).GetFromJsonAsync<JsonElement>(url);
            if (done(answer))
            {
                return answer;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} not as expected: {answer}");
        }
    }

    private static bool IsEnum(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t.IsEnum)
        {
            return true;
        }

        Type? element = t.IsArray ? t.GetElementType() : t.IsGenericType && t.GetGenericArguments().Length == 1 ? t.GetGenericArguments()[0] : null;
        return element is not null && (Nullable.GetUnderlyingType(element) ?? element).IsEnum;
    }
}
