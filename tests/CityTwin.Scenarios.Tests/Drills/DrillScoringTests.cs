using CityTwin.Scenarios.Drills;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;
using CityTwin.Scenarios.Tests.Runs;

namespace CityTwin.Scenarios.Tests.Drills;

public sealed class DrillScoringTests(SandboxTwinFixture twin) : IClassFixture<SandboxTwinFixture>
{
    [Fact]
    public async Task The_confined_space_drill_times_every_stage_of_every_incident_in_simulated_time()
    {
        ScenarioDefinition drill = StockScenarios.Load("confined-space-rescue-drill");
        await using TwinFork fork = await twin.Twin.ForkAsync();
        ScenarioResult result = await ScenarioRunner.RunAsync(fork, drill);

        DrillReport report = Assert.IsType<DrillReport>(result.Drill);
        Assert.Equal(3, report.Incidents);
        foreach (DrillIncidentResult r in report.Results)
        {
            Assert.Equal(SandboxTwinFixture.Now + drill.Drill!.Incidents.Single(i => i.Id == r.Id).At, r.DetectedAt);
            Assert.True(r.DetectedAt <= r.AlertedAt);
            Assert.Equal(r.AlertedAt + TimeSpan.FromSeconds(60), r.DispatchedAt);
            Assert.True(r.DispatchedAt < r.FirstArrivalAt);
            Assert.Equal(r.FirstArrivalAt + TimeSpan.FromMinutes(20), r.ResolvedAt);
            DrillUnitResult first = r.Units.MinBy(u => u.ArrivedAt)!;
            Assert.Equal(first.TravelSeconds, r.FirstUnitTravelSeconds);

            // Travel time is the road distance at the unit's set speed.
            double speed = first.Kind == "responder" ? 15 : 40;
            Assert.Equal(first.DistanceM / (speed / 3.6), first.TravelSeconds, 0);
            Assert.Equal(first.TravelSeconds <= 240, r.MetTravelTarget);
        }

        Assert.Equal(report.Results.Count(r => r.MetTravelTarget), report.MetTarget);
        Assert.Equal(TimeSpan.FromHours(2), result.SimulatedEnd - result.SimulatedStart);
        Assert.Contains(result.Timeline, e => e.Kind == "arrival");
    }

    [Fact]
    public void The_share_meeting_the_nfpa_1710_target_counts_incidents_whose_first_unit_travelled_240_s_or_less()
    {
        var spec = new DrillSpec(15, 40, 1.3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), 240, 0.9, []);
        DateTimeOffset t0 = SandboxTwinFixture.Now;
        double[] travel = [100, 150, 200, 239, 240, 120, 180, 230, 60, 300];
        var results = travel.Select((s, i) => new DrillIncidentResult(
            $"i{i}", "fire", "b", t0, t0, "rule", t0, t0.AddSeconds(s), t0.AddSeconds(s + 900), 0, 0, s, s, s <= 240, [])).ToList();

        DrillReport report = DrillScoring.Score(spec, results);

        Assert.Equal(9, report.MetTarget);
        Assert.Equal(0.9, report.ShareMeetingTarget);
        Assert.True(report.TargetMet);

        // Nearest-rank percentiles of first-unit travel.
        Assert.Equal(180, report.MedianFirstUnitTravelSeconds);
        Assert.Equal(240, report.P90FirstUnitTravelSeconds);
    }
}
