using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using CityTwin.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Finite extremes cannot poison the twin: a reading outside its sensor kind's physical range is refused as an item of
/// its batch (nothing logged or applied), one that reaches a grain another way (an event log written before the check)
/// is ignored, and the physics endpoints bound their inputs, so no state, aggregate or answer holds NaN or Infinity and
/// the sensor and the vitals answer 200 before and after a restart.
/// </summary>
public sealed class FiniteExtremesTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Readings_outside_the_physical_range_are_refused_per_item_and_the_sensor_and_vitals_stay_finite()
    {
        EntitySummary wind = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal)
            .First(s => s.Kind == nameof(SensorKind.Wind) && s.BuildingId is null);
        EntitySummary sos = server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal).First(s => s.Kind == nameof(SensorKind.SosButton));
        EntitySummary gauge = server.Directory.OfType(EntityType.Gauge).OrderBy(s => s.Id, StringComparer.Ordinal).First();
        long logged = await EventsAsync();
        string at = DateTimeOffset.UtcNow.ToString("O");

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", new object[]
        {
            new { sensorId = wind.Id, value = 1e308, at },
            new { sensorId = wind.Id, value = -1e308, at },
            new { sensorId = wind.Id, value = -0.5, at },
            new { sensorId = sos.Id, value = 2.0, at },
            new { sensorId = gauge.Id, value = 1e308, unit = "m", at },
            new { sensorId = wind.Id, value = 1e308, unit = "battery%", at },
            new { sensorId = wind.Id, value = 12.5, unit = "m/s", at },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 6), (result.GetProperty("accepted").GetInt32(), result.GetProperty("rejected").GetInt32()));
        JsonElement[] errors = [.. result.GetProperty("errors").EnumerateArray()];
        Assert.Equal([0, 1, 2, 3, 4, 5], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.All(errors, e => Assert.Contains("outside the physical range", e.GetProperty("error").GetString()));
        Assert.Contains("a Wind sensor (0 to 150)", errors[0].GetProperty("error").GetString());
        Assert.Contains("a river gauge in m (-500 to 9000)", errors[4].GetProperty("error").GetString());
        Assert.Equal(logged + 1, await EventsAsync());

        await AssertFiniteAsync($"api/entities/sensor/{wind.Id}");
        await AssertFiniteAsync($"api/entities/gauge/{gauge.Id}");
        JsonElement sensor = (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{wind.Id}")).GetProperty("properties").GetProperty("state");
        Assert.Equal(12.5, sensor.GetProperty("lastValue").GetDouble());
        Assert.Equal(12.5, sensor.GetProperty("statistics").GetProperty("max").GetDouble());
        JsonElement vitals = await AssertFiniteAsync("api/areas/district/vitals");
        JsonElement windVital = vitals.GetProperty("vitals").EnumerateArray().Single(v => v.GetProperty("kind").GetString() == "wind");
        Assert.True(windVital.GetProperty("max").GetDouble() <= PhysicalRange.Of(SensorKind.Wind).Max);
    }

    [Fact]
    public async Task Each_kind_takes_its_range_and_refuses_values_just_beyond_it()
    {
        EntitySummary[] oneOfEach = [.. server.Directory.OfType(EntityType.Sensor).OrderBy(s => s.Id, StringComparer.Ordinal)
            .GroupBy(s => s.Kind).Select(g => g.First())];
        Assert.True(oneOfEach.Length >= 10, $"the district has sensors of {oneOfEach.Length} kinds");
        string at = DateTimeOffset.UtcNow.ToString("O");
        var readings = new List<object>();
        foreach (EntitySummary s in oneOfEach)
        {
            (double min, double max) = PhysicalRange.Of(Enum.Parse<SensorKind>(s.Kind!, ignoreCase: true));
            readings.Add(new { sensorId = s.Id, value = max + Math.Max(1e-6 * Math.Abs(max), 1e-3), at });
            readings.Add(new { sensorId = s.Id, value = min - Math.Max(1e-6 * Math.Abs(min), 1e-3), at });
            readings.Add(new { sensorId = s.Id, value = min, at });
        }

        using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/telemetry", readings);

        JsonElement result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(oneOfEach.Length, result.GetProperty("accepted").GetInt32());
        int[] refused = [.. result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("index").GetInt32())];
        Assert.Equal(Enumerable.Range(0, oneOfEach.Length).SelectMany(i => new[] { 3 * i, (3 * i) + 1 }), refused);
        foreach (EntitySummary s in oneOfEach)
        {
            Assert.Equal(PhysicalRange.Of(Enum.Parse<SensorKind>(s.Kind!, ignoreCase: true)).Min, server.Directory.Get(EntityType.Sensor, s.Id)!.Value);
        }
    }

    [Theory]
    [InlineData("scs-runoff", """{"rainfallMm":50,"curveNumber":1e-300}""", "curveNumber")]
    [InlineData("scs-runoff", """{"rainfallMm":1e308,"curveNumber":80}""", "rainfallMm")]
    [InlineData("scs-runoff", """{"rainfallMm":50,"curveNumber":29}""", "curveNumber")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1e308,"sourceHeightM":10,"windSpeedMps":2,"stability":"D","receptors":[{"downwindM":100}]}""", "sourceRateGps")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1,"sourceHeightM":1e308,"windSpeedMps":2,"stability":"D","receptors":[{"downwindM":100}]}""", "sourceHeightM")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":1e-300,"stability":"D","receptors":[{"downwindM":100}]}""", "windSpeedMps")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":2,"stability":"A","receptors":[{"downwindM":1e-300}]}""", "receptors[0].downwindM")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":2,"stability":"A","receptors":[{"downwindM":1e308}]}""", "receptors[0].downwindM")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":2,"stability":"A","receptors":[{"downwindM":100,"crosswindM":-1e308}]}""", "receptors[0].crosswindM")]
    [InlineData("gaussian-plume", """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":2,"stability":"A","receptors":[{"downwindM":100,"heightM":1e308}]}""", "receptors[0].heightM")]
    public async Task A_model_input_outside_its_bounds_is_a_400_naming_the_field_and_its_range(string model, string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Client.PostAsync($"api/models/{model}", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        string message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString()!;
        Assert.Contains("must be a number from", message);
    }

    [Fact]
    public async Task Every_corner_of_the_plume_and_runoff_bounds_has_a_finite_answer_with_positive_spreads()
    {
        var receptors = new[] { 1.0, 100_000.0, -100_000.0 }.SelectMany(x => new[] { -100_000.0, 0.0, 100_000.0 }
            .SelectMany(y => new[] { 0.0, 10_000.0 }.Select(z => new { downwindM = x, crosswindM = y, heightM = z }))).ToArray();
        foreach (string stability in new[] { "A", "B", "C", "D", "E", "F" })
        {
            foreach (string scheme in new[] { "pasquill-gifford", "briggs-rural", "briggs-urban" })
            {
                foreach ((double rate, double height, double wind) in new[] { (0.0, 0.0, 0.5), (1e6, 0.0, 0.5), (1e6, 1000.0, 50.0), (1e6, 0.0, 50.0) })
                {
                    using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/models/gaussian-plume", new
                    {
                        sourceRateGps = rate, sourceHeightM = height, windSpeedMps = wind, stability, dispersion = scheme, receptors,
                    });
                    string text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{stability} {scheme} {rate} {height} {wind}: {text}");
                    AssertNoNamedNumbers(text);
                    foreach (JsonElement r in JsonDocument.Parse(text).RootElement.GetProperty("receptors").EnumerateArray().Where(r => r.GetProperty("downwindM").GetDouble() > 0))
                    {
                        Assert.True(r.GetProperty("sigmaYM").GetDouble() > 0 && r.GetProperty("sigmaZM").GetDouble() > 0, $"{stability} {scheme}: {r}");
                    }
                }
            }
        }

        foreach ((double rain, double cn) in new[] { (0.0, 30.0), (2000.0, 30.0), (2000.0, 100.0), (0.0, 100.0) })
        {
            using HttpResponseMessage response = await server.Client.PostAsJsonAsync("api/models/scs-runoff", new { rainfallMm = rain, curveNumber = cn });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoNamedNumbers(await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_extreme_reading_in_an_older_event_log_is_ignored_after_a_restart()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("twin.db");
        string[] args = ["--store", "sqlite", "--connection", db, "--District:Buildings", "50"];
        string sensorId;
        await using (ServerProcess server = await ServerProcess.StartAsync(dir.Path, args))
        {
            JsonElement page = await server.Client.GetFromJsonAsync<JsonElement>("api/entities?type=sensor&pageSize=1000");
            sensorId = page.GetProperty("features").EnumerateArray()
                .Select(f => f.GetProperty("properties"))
                .First(p => p.GetProperty("kind").GetString() == nameof(SensorKind.Wind)).GetProperty("id").GetString()!;
            using HttpResponseMessage posted = await server.Client.PostAsJsonAsync("api/telemetry", new object[]
            {
                new { sensorId, value = 7.5, at = "2026-11-22T03:00:00Z" },
                new { sensorId, value = 1e308, at = "2026-11-22T03:00:01Z" },
            });
            Assert.Equal(1, (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
            await server.KillAsync();
        }

        // As a server without the range check would have logged it: acknowledged, so replayed on the next start.
        await using (SiloStore store = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = db }))
        {
            await store.EventLog.AppendAsync(new EventAppend(new DateTimeOffset(2026, 11, 22, 3, 0, 2, TimeSpan.Zero), SensorReading.LogKind, sensorId,
                Encoding.UTF8.GetBytes("""{"value":1e308,"unit":"m/s"}""")));
        }

        await using ServerProcess restarted = await ServerProcess.StartAsync(dir.Path, args);
        using HttpResponseMessage entity = await restarted.Client.GetAsync($"api/entities/sensor/{sensorId}");
        string text = await entity.Content.ReadAsStringAsync();
        Assert.True(entity.StatusCode == HttpStatusCode.OK, text);
        AssertNoNamedNumbers(text);
        JsonElement state = JsonDocument.Parse(text).RootElement.GetProperty("properties").GetProperty("state");
        Assert.Equal(7.5, state.GetProperty("lastValue").GetDouble());
        Assert.Equal(1, state.GetProperty("statistics").GetProperty("count").GetInt64());
        using HttpResponseMessage vitals = await restarted.Client.GetAsync("api/areas/district/vitals");
        Assert.Equal(HttpStatusCode.OK, vitals.StatusCode);
        AssertNoNamedNumbers(await vitals.Content.ReadAsStringAsync());
        Assert.Contains("inputs replayed from the event log", restarted.Output);
    }

    private static void AssertNoNamedNumbers(string json)
    {
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    private async Task<JsonElement> AssertFiniteAsync(string path)
    {
        using HttpResponseMessage response = await server.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        AssertNoNamedNumbers(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<long> EventsAsync() => server.Services.GetRequiredService<IEventLog>().CountAsync();
}
