using CityTwin.Scenarios.Runs;
using CityTwin.TestSupport;

namespace CityTwin.Scenarios.Tests.Runs;

public sealed class ScenarioRunRegistryTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    [Fact]
    public async Task A_cancelled_run_stops_reports_cancelled_and_releases_its_fork()
    {
        // A week of rain at one-second steps would take far longer than the test: only cancellation ends it.
        ScenarioDefinition week = ScenarioParser.Parse("""
            {"name":"long","kind":"rainfall","duration":"P7D","stepSeconds":1,"reportEvery":"PT1M",
             "rainfall":{"totalMm":500,"duration":"P7D","pattern":"uniform","interval":"PT1H"}}
            """);
        CityTwin.Scenarios.Forks.TwinFork? fork = null;
        await using var registry = new ScenarioRunRegistry(async (start, ct) => fork = await twin.Twin.ForkAsync(start, ct));
        ScenarioRun run = registry.Start(week);
        await TestWait.UntilAsync(() => run.ToView(false).Progress > 0, TimeSpan.FromSeconds(60), "the run to make progress");
        Assert.Equal(1, registry.ActiveForks);

        Assert.True(registry.Cancel(run.Id));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ScenarioRunStatus.Cancelled, run.Status);
        Assert.Equal(0, registry.ActiveForks);
        Assert.True(run.ToView().Progress < 1);
        Assert.Contains(run.Result.Timeline, e => e.Kind == "cancelled");
        Assert.False(registry.Cancel(run.Id));

        // The run's loop has let go of its fork (released above) with the fork's clock short of the week.
        Assert.True(fork!.Clock.GetUtcNow() < SandboxTwinFixture.Now.AddDays(7));
    }

    [Fact]
    public async Task Several_runs_proceed_at_once_and_each_fork_is_released()
    {
        await using var registry = new ScenarioRunRegistry((start, ct) => twin.Twin.ForkAsync(start, ct), options: new ScenarioRunOptions { MaxConcurrentRuns = 3 });
        ScenarioRun[] runs = [registry.Start(StockScenarios.Load("gas-leak")), registry.Start(StockScenarios.Load("muck-truck-violation")), registry.Start(StockScenarios.Load("gas-leak"))];

        await Task.WhenAll(runs.Select(r => r.Completion)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(runs, r => Assert.Equal(ScenarioRunStatus.Completed, r.Status));
        Assert.All(runs, r => Assert.Equal(1.0, r.ToView().Progress));
        Assert.Equal(0, registry.ActiveForks);
        Assert.Equal(3, runs.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_run_that_names_nothing_in_the_twin_fails_with_the_reason()
    {
        await using var registry = new ScenarioRunRegistry((start, ct) => twin.Twin.ForkAsync(start, ct));
        ScenarioRun run = registry.Start(ScenarioParser.Parse("""{"kind":"gas-leak","duration":"PT10M","gas":{"source":"sensor-does-not-exist","rateGps":1}}"""));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ScenarioRunStatus.Failed, run.Status);
        Assert.Contains("$.gas.source", run.ToView().Error);
        Assert.Equal(0, registry.ActiveForks);
    }
}
