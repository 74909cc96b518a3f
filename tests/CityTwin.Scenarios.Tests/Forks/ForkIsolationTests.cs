using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;
using CityTwin.Scenarios.Tests.Runs;
using CityTwin.Silo.Storage;

namespace CityTwin.Scenarios.Tests.Forks;

public sealed class ForkIsolationTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    [Fact]
    public async Task Runs_that_change_many_states_in_their_fork_leave_live_storage_and_the_live_read_model_unchanged()
    {
        TwinSilo live = twin.Twin.Silo;
        TwinDirectory liveDirectory = live.Directory;
        await live.CheckpointAsync();
        Dictionary<string, string> storedBefore = await StoredStatesAsync(live.Services, live.Store.States);
        Dictionary<string, EntitySummary> summariesBefore = Summaries(liveDirectory);
        long liveAlerts = live.Alerts.Published;
        long liveEvents = await live.Store.EventLog.CountAsync();

        await using TwinFork fork = await twin.Twin.ForkAsync();
        await ScenarioRunner.RunAsync(fork, StockScenarios.Load("heavy-rainfall"));
        await ScenarioRunner.RunAsync(fork, StockScenarios.Load("gas-leak"));
        await ScenarioRunner.RunAsync(fork, StockScenarios.Load("muck-truck-violation"));
        await fork.Silo.CheckpointAsync();

        // The fork did change: many cells hold water, the alarm and gauge readings landed in its own event log.
        Dictionary<string, string> forkStored = await StoredStatesAsync(fork.Silo.Services, fork.Storage);
        int changedInFork = forkStored.Count(kv => !storedBefore.TryGetValue(kv.Key, out string? before) || before != kv.Value);
        Assert.True(changedInFork > 100, $"only {changedInFork} states changed in the fork");
        Assert.True(await fork.EventLog.CountAsync() > 0);

        await live.CheckpointAsync();
        Assert.Equal(storedBefore, await StoredStatesAsync(live.Services, live.Store.States));
        Dictionary<string, EntitySummary> summariesAfter = Summaries(liveDirectory);
        Assert.Equal(summariesBefore.Count, summariesAfter.Count);
        Assert.All(summariesBefore, kv => Assert.Same(kv.Value, summariesAfter[kv.Key]));
        Assert.Equal(liveAlerts, live.Alerts.Published);
        Assert.Equal(liveEvents, await live.Store.EventLog.CountAsync());
    }

    private static async Task<Dictionary<string, string>> StoredStatesAsync(IServiceProvider silo, IStoredStateReader storage)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string type in TwinFork.GrainTypes(silo))
        {
            await foreach (StoredState s in storage.ReadAllAsync(type))
            {
                states[$"{s.GrainType}/{s.Key}/{s.StateName}"] = Convert.ToBase64String(s.Payload.ToArray());
            }
        }

        return states;
    }

    private static Dictionary<string, EntitySummary> Summaries(TwinDirectory directory) =>
        Enum.GetValues<EntityType>().SelectMany(directory.OfType).ToDictionary(s => s.Id, StringComparer.Ordinal);
}
