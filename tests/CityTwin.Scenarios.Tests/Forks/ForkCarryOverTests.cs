using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;
using CityTwin.Scenarios.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Tests.Forks;

/// <summary>
/// A forecast reports what its scenario caused: the live twin's open case is carried over frozen (no SLA clock, no
/// escalation) unless the scenario sets <c>liveCases: running</c>, sensors silent in the fork are simulated rather than
/// offline, and the report lists the carry-overs apart from the scenario's own alerts.
/// </summary>
public sealed class ForkCarryOverTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    [Fact]
    public async Task A_rainfall_fork_reports_no_escalation_or_offline_noise_and_lists_the_carry_overs_apart()
    {
        (string caseId, string[] silent) = await PrepareLiveTwinAsync();

        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioDefinition storm = StockScenarios.Load("heavy-rainfall");
        Assert.True(storm.Duration >= TimeSpan.FromHours(3));
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, storm);

        // The scenario's own timeline holds no offline, welfare or overdue notices.
        string[] noise = [.. result.Timeline.Select(e => e.Message).Where(m => m.StartsWith(AlertKinds.Offline + ":", StringComparison.Ordinal)
            || m.StartsWith(AlertKinds.Welfare + ":", StringComparison.Ordinal) || m.StartsWith("caseOverdue:", StringComparison.Ordinal))];
        Assert.True(noise.Length == 0, string.Join("\n", noise.Take(5)));
        Assert.All(silent, id => Assert.NotEqual(SensorState.Offline, fork.Directory.Get(id)!.Status));

        // The live case is listed as carried over, and stayed as it was: no clock, no escalation.
        CarryOver carried = Assert.IsType<CarryOver>(result.CarriedOver);
        Assert.Equal("frozen", carried.SlaClocks);
        CarriedCase live = Assert.Single(carried.Cases, c => c.Id == caseId);
        Assert.Equal("grid", live.Level);
        Assert.Empty(carried.Timeline);
        CaseView inFork = (await fork.Silo.GrainFactory.GetGrain<ICaseGrain>(caseId).GetAsync())!;
        Assert.Equal("grid", inFork.Level);
        Assert.False(inFork.Overdue);
        Assert.DoesNotContain(inFork.Timeline, e => e.Action == "escalate");
    }

    [Fact]
    public async Task With_liveCases_running_the_carried_case_escalates_and_is_reported_as_a_carry_over()
    {
        (string caseId, _) = await PrepareLiveTwinAsync();

        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioDefinition hour = ScenarioParser.Parse("""
            {"name": "sla-clocks", "kind": "event-chain", "duration": "PT1H", "liveCases": "running",
             "timeline": [{"at": "PT30M", "type": "note", "text": "half way"}]}
            """);
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, hour);

        // Its reported stage has a 5-minute SLA: an hour takes it up to the district, each step an overdue notice.
        CarryOver carried = result.CarriedOver!;
        Assert.Equal("running", carried.SlaClocks);
        Assert.Contains(carried.Timeline, e => e.EntityId == caseId && e.Message.StartsWith("caseOverdue:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Timeline, e => e.EntityId == caseId);
        Assert.Equal("district", (await fork.Silo.GrainFactory.GetGrain<ICaseGrain>(caseId).GetAsync())!.Level);
    }

    /// <summary>Opens a citizen gas-leak case in the live twin and has its street sensors report once (then fall silent).</summary>
    private async Task<(string CaseId, string[] Silent)> PrepareLiveTwinAsync()
    {
        IGrainFactory grains = twin.Twin.Silo.GrainFactory;
        TwinDirectory directory = twin.Twin.Silo.Services.GetRequiredService<TwinDirectory>();
        EntitySummary building = directory.OfType(EntityType.Building).OrderBy(b => b.Id, StringComparer.Ordinal).First();
        string caseId = CaseIds.New(SandboxTwinFixture.Now);
        CaseView opened = await grains.GetGrain<ICaseGrain>(caseId).ReportAsync(
            new CaseReport(CaseSource.Citizen, "gas-leak", building.Position, "smell of gas in the stairwell") { BuildingId = building.Id });
        Assert.Equal("reported", opened.Status);

        string[] street = [.. directory.OfType(EntityType.Sensor).Where(s => s.BuildingId is null && s.Kind is nameof(SensorKind.Wind) or nameof(SensorKind.AirPressure))
            .Select(s => s.Id).Order(StringComparer.Ordinal).Take(20)];
        Assert.NotEmpty(street);
        foreach (string id in street)
        {
            await grains.GetGrain<ISensorGrain>(id).RecordAsync(new SensorReading(3, null, SandboxTwinFixture.Now));
        }

        return (caseId, street);
    }
}
