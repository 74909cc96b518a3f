using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Replay;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;

namespace CityTwin.Scenarios.Tests.Runs;

public sealed class ScenarioRunBudgetTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    private static readonly ScenarioDefinition Short = ScenarioParser.Parse("""{"name":"short","kind":"event-chain","duration":"PT1H","timeline":[{"at":"PT1M","type":"note","text":"a"}]}""");

    [Fact]
    public async Task A_full_queue_refuses_a_run_and_frees_a_place_when_a_run_leaves_it()
    {
        var forking = new ForkGate();
        await using var registry = new ScenarioRunRegistry(forking.ForkAsync, options: new ScenarioRunOptions { MaxConcurrentRuns = 1, MaxQueuedRuns = 1 });
        ScenarioRun running = registry.Start(Short);
        await forking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        ScenarioRun waiting = registry.Start(Short);

        var full = Assert.Throws<ScenarioQueueFullException>(() => registry.Start(Short));
        Assert.Contains("Scenarios:MaxQueuedRuns", full.Message, StringComparison.Ordinal);
        Assert.Equal(1, registry.Queued);
        Assert.Equal(ScenarioRunStatus.Running, running.Status);
        Assert.Equal(ScenarioRunStatus.Queued, waiting.Status);

        // Cancelling the waiting run frees its place in the queue.
        Assert.True(registry.Cancel(waiting.Id));
        await waiting.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ScenarioRunStatus.Cancelled, waiting.Status);
        Assert.Equal(0, registry.Queued);
        ScenarioRun next = registry.Start(Short);
        Assert.Equal(ScenarioRunStatus.Queued, next.Status);
    }

    [Fact]
    public async Task A_run_that_reports_no_progress_for_the_stall_timeout_fails_saying_so()
    {
        var clock = new VirtualTimeProvider(SandboxTwinFixture.Now);
        var forking = new ForkGate();
        await using var registry = new ScenarioRunRegistry(forking.ForkAsync, options: new ScenarioRunOptions { StallTimeout = TimeSpan.FromMinutes(2) }, time: clock);
        ScenarioRun run = registry.Start(Short);
        await forking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.False(run.Completion.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScenarioRunStatus.Failed, run.Status);
        Assert.Equal("The run made no progress for 00:02:00 (Scenarios:StallTimeout) and was stopped.", run.ToView().Error);
        Assert.True(forking.SawCancellation);
    }

    [Fact]
    public async Task A_run_over_its_time_budget_fails_saying_so()
    {
        var clock = new VirtualTimeProvider(SandboxTwinFixture.Now);
        var forking = new ForkGate();
        var options = new ScenarioRunOptions { MaxRunTime = TimeSpan.FromMinutes(10), StallTimeout = TimeSpan.FromMinutes(10) };
        await using var registry = new ScenarioRunRegistry(forking.ForkAsync, options: options, time: clock);
        ScenarioRun run = registry.Start(Short);
        await forking.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromMinutes(10));
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScenarioRunStatus.Failed, run.Status);
        Assert.StartsWith("The run took longer than its time budget of 00:10:00 (Scenarios:MaxRunTime)", run.ToView().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_fails_on_an_internal_error_reports_a_message_for_the_user_not_the_exception_text()
    {
        await using var registry = new ScenarioRunRegistry((_, _) => throw new NullReferenceException("Object reference not set to an instance of an object."));
        ScenarioRun run = registry.Start(Short);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ScenarioRunStatus.Failed, run.Status);
        string error = run.ToView().Error!;
        Assert.Equal($"The run stopped on an internal error (NullReferenceException); the server log has the details under run {run.Id}.", error);
        Assert.DoesNotContain("Object reference", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_of_a_range_with_nothing_recorded_ends_at_once_saying_so()
    {
        var log = new MemoryEventLog();
        DateTimeOffset from = SandboxTwinFixture.Now.AddDays(-20);
        await using TwinFork fork = await twin.Twin.ForkAsync(from);
        var result = new ScenarioResult { Name = "replay", Kind = "replay" };

        var e = await Assert.ThrowsAsync<ScenarioRunException>(() => ReplayEngine.RunAsync(fork, log, new ReplayRequest(from, from.AddDays(10), 0), result, null, CancellationToken.None));

        Assert.StartsWith("Nothing was recorded between", e.Message, StringComparison.Ordinal);
        Assert.Equal(from, fork.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_replay_of_more_inputs_than_its_budget_fails_saying_so()
    {
        var log = new MemoryEventLog();
        DateTimeOffset from = SandboxTwinFixture.Now.AddDays(-2);
        await log.AppendBatchAsync([.. Enumerable.Range(0, 5).Select(i => new EventAppend(from.AddMinutes(i), "reading", "gauge-1", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { value = 500.0 + i })))]);
        await using TwinFork fork = await twin.Twin.ForkAsync(from);
        var result = new ScenarioResult { Name = "replay", Kind = "replay" };

        var e = await Assert.ThrowsAsync<ScenarioRunException>(() => ReplayEngine.RunAsync(
            fork, log, new ReplayRequest(from, from.AddHours(1), 0), result, null, CancellationToken.None, new ScenarioRunOptions { MaxReplayInputs = 4 }));

        Assert.Contains("more than 4 recorded readings and positions", e.Message, StringComparison.Ordinal);
        Assert.Contains("Scenarios:MaxReplayInputs", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A fork factory that signals when a run starts forking and then waits until the run is cancelled.</summary>
    private sealed class ForkGate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SawCancellation { get; private set; }

        public async Task<TwinFork> ForkAsync(DateTimeOffset? start, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }

            throw new InvalidOperationException("unreachable");
        }
    }
}
