using CityTwin.Scenarios.Replay;
using CityTwin.Scenarios.Runs;

namespace CityTwin.Scenarios.Tests.Runs;

public sealed class ScenarioBoundsTests
{
    private static readonly DateTimeOffset Now = new(2024, 7, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // The probe that filled 14 GB: a storm of 1-tick blocks over a year.
    [InlineData("""{"kind":"rainfall","duration":"P7D","rainfall":{"totalMm":10,"duration":"P7D","interval":"PT0.0000001S"}}""", "$.rainfall.interval", "must be from PT1S to P7D ($.duration)")]
    [InlineData("""{"kind":"rainfall","duration":"P7D","rainfall":{"totalMm":10,"duration":"P365D","interval":"PT1H"}}""", "$.rainfall.duration", "must be from at least one interval to P7D ($.duration)")]
    [InlineData("""{"kind":"rainfall","duration":"P365D","rainfall":{"totalMm":10,"duration":"PT1H"}}""", "$.duration", "must be from PT1S to P7D (Scenarios:MaxSimulatedDuration)")]
    [InlineData("""{"kind":"rainfall","duration":"P7D","rainfall":{"totalMm":10,"duration":"P7D","interval":"PT1S"}}""", "$.rainfall.interval", null)]
    // Values that used to pass the parser and fail only inside the run.
    [InlineData("""{"kind":"rainfall","duration":"PT6H","rainfall":{"totalMm":10,"duration":"PT1H","peakRatio":1}}""", "$.rainfall.peakRatio", "must be greater than 0 and less than 1 (where the peak falls within the storm)")]
    [InlineData("""{"kind":"rainfall","duration":"PT6H","rainfall":{"totalMm":10,"duration":"PT1H","peakRatio":0}}""", "$.rainfall.peakRatio", null)]
    [InlineData("""{"kind":"rainfall","start":"0001-01-01T00:00:00Z","duration":"PT6H","rainfall":{"totalMm":10,"duration":"PT1H"}}""", "$.start", "must be between 1970-01-01 and 2200-01-01")]
    [InlineData("""{"kind":"event-chain","duration":"PT1H","reportEvery":"P10000000D","timeline":[{"at":"PT1M","type":"note","text":"a"}]}""", "$.reportEvery", null)]
    [InlineData("""{"kind":"drill","duration":"PT1H","drill":{"onScene":"P3650D","incidents":[{"at":"PT1M","building":"@residential"}]}}""", "$.drill.onScene", null)]
    [InlineData("""{"kind":"drill","duration":"PT1H","drill":{"incidents":[{"at":"PT2H","building":"@residential"}]}}""", "$.drill.incidents[0].at", null)]
    [InlineData("""{"kind":"river-rise","duration":"PT1H","river":{"stage":[{"at":"P1000D","riseM":1}]}}""", "$.river.stage[0].at", null)]
    public void A_parameter_out_of_its_bounds_is_refused_naming_it_and_the_allowed_range(string json, string path, string? reason)
    {
        var e = Assert.Throws<ScenarioValidationException>(() => ScenarioParser.Parse(json));
        Assert.Equal(path, e.Path);
        if (reason is not null)
        {
            Assert.Equal(reason, e.Reason);
        }
    }

    [Fact]
    public void The_list_and_block_budgets_come_from_the_options()
    {
        var limits = new ScenarioRunOptions { MaxListItems = 2, MaxRainfallBlocks = 12 };
        string timeline = """{"kind":"event-chain","duration":"PT1H","timeline":[{"at":"PT1M","type":"note","text":"a"},{"at":"PT2M","type":"note","text":"b"},{"at":"PT3M","type":"note","text":"c"}]}""";
        var tooMany = Assert.Throws<ScenarioValidationException>(() => ScenarioParser.Parse(timeline, limits));
        Assert.Equal("$.timeline", tooMany.Path);
        Assert.Contains("Scenarios:MaxListItems", tooMany.Reason, StringComparison.Ordinal);
        Assert.Equal(3, ScenarioParser.Parse(timeline).Timeline.Count);

        // 2 h in 5-minute blocks is 24 blocks: over 12, and the message says which interval would fit.
        string storm = """{"kind":"rainfall","duration":"PT6H","rainfall":{"totalMm":10,"duration":"PT2H","interval":"PT5M"}}""";
        var blocks = Assert.Throws<ScenarioValidationException>(() => ScenarioParser.Parse(storm, limits));
        Assert.Equal("$.rainfall.interval", blocks.Path);
        Assert.Equal("makes 24 rainfall blocks; at most 12 are allowed (Scenarios:MaxRainfallBlocks), so the interval must be at least PT10M", blocks.Reason);
        Assert.Equal(24, ScenarioParser.Parse(storm).Rainfall!.ToHyetograph().BlockCount);
    }

    [Fact]
    public void Every_stock_scenario_is_within_the_default_budgets()
    {
        foreach (string name in StockScenarios.Names())
        {
            Assert.Equal(name, StockScenarios.Load(name, new ScenarioRunOptions()).Name);
        }
    }

    [Theory]
    [InlineData("2024-07-09T00:00:00Z", "2024-07-09T01:00:00Z", 1e-300, "speed")]
    [InlineData("2024-07-09T00:00:00Z", "2024-07-09T01:00:00Z", double.PositiveInfinity, "speed")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T01:00:00Z", 0, "from")]
    [InlineData("2024-07-09T00:00:00Z", "2024-09-09T00:00:00Z", 0, "to")]
    [InlineData("2099-01-01T00:00:00Z", "2099-01-02T00:00:00Z", 0, "from")]
    public void A_replay_that_could_not_finish_in_its_budget_is_refused(string from, string to, double speed, string field)
    {
        var request = new ReplayRequest(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), speed);
        (string Field, string Reason)? bad = request.Validate(Now, new ScenarioRunOptions());
        Assert.NotNull(bad);
        Assert.Equal(field, bad.Value.Field);
    }

    [Fact]
    public void A_paced_replay_must_fit_the_run_time_budget()
    {
        var limits = new ScenarioRunOptions { MaxRunTime = TimeSpan.FromMinutes(30) };
        DateTimeOffset from = Now.AddDays(-1);

        // Ten hours at 10x take an hour: over 30 minutes. At 20x they take exactly the budget.
        (string Field, string Reason)? slow = new ReplayRequest(from, from.AddHours(10), 10).Validate(Now, limits);
        Assert.Equal("speed", slow!.Value.Field);
        Assert.Contains("at least 20", slow.Value.Reason, StringComparison.Ordinal);
        Assert.Null(new ReplayRequest(from, from.AddHours(10), 20).Validate(Now, limits));
        Assert.Null(new ReplayRequest(from, from.AddHours(10), 0).Validate(Now, limits));
    }

    [Theory]
    [InlineData(nameof(ScenarioRunOptions.MaxConcurrentRuns))]
    [InlineData(nameof(ScenarioRunOptions.MaxQueuedRuns))]
    [InlineData(nameof(ScenarioRunOptions.StallTimeout))]
    [InlineData(nameof(ScenarioRunOptions.MaxRainfallBlocks))]
    public void Settings_out_of_range_are_refused_naming_the_setting(string setting)
    {
        var options = new ScenarioRunOptions();
        switch (setting)
        {
            case nameof(ScenarioRunOptions.MaxConcurrentRuns): options.MaxConcurrentRuns = 0; break;
            case nameof(ScenarioRunOptions.MaxQueuedRuns): options.MaxQueuedRuns = -1; break;
            case nameof(ScenarioRunOptions.StallTimeout): options.StallTimeout = options.MaxRunTime + TimeSpan.FromSeconds(1); break;
            default: options.MaxRainfallBlocks = 0; break;
        }

        var e = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.StartsWith($"Scenarios:{setting} is ", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new ScenarioRunRegistry((_, _) => throw new InvalidOperationException("never forked"), options: options));
    }
}
