using System.Net.Http.Json;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Scenarios.District;
using CityTwin.TwinApi.Load;
using CityTwin.TwinApi.Simulation;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// <c>--simulate</c>: simulated readings and positions reach the twin through the ingest path (logged in the event log,
/// applied to the grains), and /health shows the rates and what was sent.
/// </summary>
public sealed class SimulationTests(SimulatedTwinFixture server) : IClassFixture<SimulatedTwinFixture>
{
    [Fact]
    public async Task Simulated_readings_and_positions_arrive_through_ingest_and_are_in_the_event_log()
    {
        JsonElement simulation = default;
        for (var deadline = DateTime.UtcNow.AddMinutes(1); ; await Task.Delay(100))
        {
            simulation = (await server.Client.GetFromJsonAsync<JsonElement>("health")).GetProperty("simulation");
            if (simulation.GetProperty("readings").GetInt64() >= 200 && simulation.GetProperty("positions").GetInt64() >= 20)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"simulated traffic did not arrive in a minute: {simulation}");
        }

        Assert.True(simulation.GetProperty("enabled").GetBoolean());
        Assert.Equal(400, simulation.GetProperty("readingsPerSecond").GetDouble());
        Assert.Equal(40, simulation.GetProperty("positionsPerSecond").GetDouble());

        // Acknowledged means logged: the readings are in the event log, and the sensors they name have applied them.
        JsonElement readings = await server.Client.GetFromJsonAsync<JsonElement>("api/events?kind=reading&limit=100");
        JsonElement[] items = [.. readings.GetProperty("items").EnumerateArray()];
        Assert.NotEmpty(items);
        string sensor = items[0].GetProperty("key").GetString()!;
        Assert.Equal(EntityType.Sensor, server.Directory.Get(sensor)!.Type);
        JsonElement state = (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/sensor/{sensor}")).GetProperty("properties").GetProperty("state");
        Assert.True(state.GetProperty("statistics").GetProperty("count").GetInt64() >= 1);

        JsonElement positions = await server.Client.GetFromJsonAsync<JsonElement>("api/events?kind=position&limit=10");
        string vehicle = positions.GetProperty("items")[0].GetProperty("key").GetString()!;
        JsonElement trajectory = (await server.Client.GetFromJsonAsync<JsonElement>($"api/entities/vehicle/{vehicle}")).GetProperty("properties").GetProperty("state").GetProperty("trajectory");
        Assert.True(trajectory.GetProperty("recorded").GetInt64() >= 1);
    }

    [Fact]
    public void Water_use_follows_the_day_and_rain_follows_one_weather()
    {
        // Chengdu (UTC+8): 03:00 local is 19:00 UTC, 07:00 local is 23:00 UTC.
        var night = new DateTimeOffset(2026, 7, 1, 19, 0, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 7, 1, 23, 0, 0, TimeSpan.Zero);
        double nightUse = MeanWaterUse(night), morningUse = MeanWaterUse(morning);
        Assert.True(morningUse > 10 * nightUse, $"morning {morningUse:0.0} L/h, night {nightUse:0.0} L/h");

        // One weather: at one moment every rain gauge reads the same spell (all dry or all wet).
        var rhythm = new CityRhythm(0, 0, 8);
        var random = new Random(7);
        SensorProfile rain = SensorProfiles.Defaults().Single(p => p.Kind == SensorKind.Rain);
        int wet = 0, dry = 0;
        for (DateTimeOffset t = night; t < night.AddDays(3); t = t.AddMinutes(10))
        {
            double[] values = [.. Enumerable.Range(0, 20).Select(_ => rhythm.Next(SensorKind.Rain, rain, t, random).Value)];
            Assert.True(values.All(v => v == 0) || values.All(v => v > 0), $"{t:O}: {string.Join(", ", values)}");
            wet += values[0] > 0 ? 1 : 0;
            dry += values[0] == 0 ? 1 : 0;
        }

        // Spells start about twice a day: three days hold both.
        Assert.True(wet > 0 && dry > 0, $"{wet} wet and {dry} dry moments");
    }

    private static double MeanWaterUse(DateTimeOffset at)
    {
        string[] ids = [.. Enumerable.Range(0, 2_000).Select(i => $"s{i}")];
        var generator = new TelemetryGenerator(ids, [.. ids.Select(_ => SensorKind.WaterMeter)], SensorProfiles.Defaults(), 7,
            new FixedTime(at), new CityRhythm(0, 0, 8));
        return generator.NextBatch(ids.Length).Average(r => r.Value);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
