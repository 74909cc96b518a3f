using System.Text.Json;
using CityTwin.Scenarios.Runs;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Cli;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Tests;

public sealed class ScenarioCliTests
{
    [Fact]
    public async Task Drill_runs_a_drill_file_headless_and_writes_the_scored_report()
    {
        using var dir = new TempDirectory();
        string report = Path.Combine(dir.Path, "out", "drill.json");

        int exit = await DrillCommand.RunAsync([Path.Combine(StockScenarios.Directory, "confined-space-rescue-drill.json"), "--report", report, "--buildings", "300"]);

        Assert.Equal(0, exit);
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        JsonElement drill = doc.RootElement.GetProperty("drill");
        Assert.Equal(3, drill.GetProperty("incidents").GetInt32());
        Assert.Equal(240, drill.GetProperty("targetTravelSeconds").GetDouble());
        Assert.All(drill.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("firstUnitTravelSeconds").GetDouble() > 0));
    }

    [Fact]
    public async Task Drill_rejects_an_invalid_file_with_the_path_of_the_bad_field()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(file, """{"kind":"drill","duration":"PT1H","drill":{"incidents":[{"at":"soon","building":"@residential"}]}}""");

        var e = await Assert.ThrowsAsync<CommandLineException>(() => DrillCommand.RunAsync([file]));
        Assert.Contains("$.drill.incidents[0].at: must be an ISO 8601 duration", e.Message);
    }
}
