using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>A sensor alarm through the whole loop, and how units are chosen and follow the case.</summary>
public sealed class CaseDispatchTests
{
    [Fact]
    public async Task A_gas_alarm_becomes_a_case_that_is_dispatched_handled_and_closed_with_every_time_recorded()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        DateTimeOffset t0 = CaseLoopSilo.Start;

        await loop.Alerts.PublishAsync(GasAlert(loop, "alert-1", "b-1", t0));
        await loop.Silo.WaitForQuiescenceAsync();
        Assert.Equal(1, loop.Index.Count);
        string id = loop.Index.Query(new CaseQuery(), 1, 10).Page[0].Id;
        CaseView opened = (await loop.Case(id).GetAsync())!;

        // Verified by the sensor at once, then the plan sends the nearest responder with first aid: r1 at 200 m,
        // not r3 (100 m, no first aid). Travel is the straight line times the network factor 1.3.
        Assert.Equal(("sensor", "gas-leak", "dispatched", "r1"), (opened.Source, opened.Category, opened.Status, opened.Assignee));
        Assert.Equal(["report", "verify", "dispatch"], opened.Timeline.Select(e => e.Action));
        Assert.Equal(("g1", "c1", "s1", "d1", "cell-a"), (opened.GridId, opened.CommunityId, opened.StreetId, opened.DistrictId, opened.CellId));
        CaseUnit unit = Assert.Single(opened.Units);
        Assert.Equal(200, unit.DistanceM!.Value, 0);
        Assert.Equal(260, unit.TravelDistanceM!.Value, 0);
        Assert.Equal("dispatched", loop.Directory.Get("r1")!.Status);
        Assert.Equal([id], (await loop.Grains.GetGrain<IResponderGrain>("r1").GetTasksAsync()).Select(t => t.CaseId));

        await loop.AdvanceAsync(TimeSpan.FromMinutes(2));
        await Ok(loop.DoAsync(id, CaseAction.Accept, actor: "r1"));
        Assert.Equal("en-route", loop.Directory.Get("r1")!.Status);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(6));
        await Ok(loop.DoAsync(id, CaseAction.Start, actor: "r1"));
        Assert.Equal("on-scene", loop.Directory.Get("r1")!.Status);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(40));
        await Ok(loop.DoAsync(id, CaseAction.Resolve, actor: "r1", evidence: "https://photos.example/valve-closed.jpg"));
        Assert.Equal("available", loop.Directory.Get("r1")!.Status);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(30));
        await Ok(loop.DoAsync(id, CaseAction.Check, actor: "community-inspector"));
        await loop.AdvanceAsync(TimeSpan.FromMinutes(10));
        CaseView closed = await Ok(loop.DoAsync(id, CaseAction.Close, actor: "operator-1"));

        Assert.Equal(new Dictionary<string, DateTimeOffset>
        {
            ["reported"] = t0, ["verified"] = t0, ["dispatched"] = t0, ["accepted"] = t0.AddMinutes(2), ["in-progress"] = t0.AddMinutes(8),
            ["resolved"] = t0.AddMinutes(48), ["checked"] = t0.AddMinutes(78), ["closed"] = t0.AddMinutes(88),
        }, closed.StageTimes);
        Assert.Equal(["system:auto-verify", "system:dispatch-plan", "r1", "r1", "r1", "community-inspector", "operator-1"], closed.Timeline.Skip(1).Select(e => e.Actor));
        Assert.Equal(closed.StageTimes.Values.Order(), closed.Timeline.Skip(1).Select(e => e.At).Prepend(t0));
        Assert.Equal(40 * 60, closed.StageSeconds["in-progress"]);
        Assert.Empty(await loop.Grains.GetGrain<IResponderGrain>("r1").GetTasksAsync());

        await loop.Silo.WaitForQuiescenceAsync();
        KpiReport kpi = await loop.Grains.GetGrain<ICaseAreaStatsGrain>("d1").GetKpisAsync(null, null);
        Assert.Equal((1L, 1L, 88 * 60.0), (kpi.Reported, kpi.Closed, kpi.EndToEnd.MedianSeconds!.Value));
    }

    [Fact]
    public async Task A_busy_responder_is_passed_over_for_the_next_nearest_able_one()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        CaseView first = await loop.ReportAsync("sos", CaseSource.Sensor);
        CaseView second = await loop.ReportAsync("sos", CaseSource.Sensor);
        CaseView third = await loop.ReportAsync("sos", CaseSource.Sensor);

        Assert.Equal("r1", first.Assignee);
        Assert.Equal("r2", second.Assignee);
        // Nobody with first aid is left: the case waits verified (its SLA will escalate it).
        Assert.Equal(("verified", (string?)null), (third.Status, third.Assignee));
    }

    [Fact]
    public async Task A_manual_assignment_names_the_unit_and_an_unknown_unit_is_refused()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        string id = (await loop.ReportAsync("road-damage")).Id;
        await Ok(loop.DoAsync(id, CaseAction.Verify));

        CaseTransitionResult unknown = await loop.DoAsync(id, CaseAction.Dispatch, assignee: "r-ghost");
        CaseTransitionResult manual = await loop.DoAsync(id, CaseAction.Dispatch, assignee: "r3");

        Assert.Equal((CaseOutcome.Invalid, "assignee"), (unknown.Outcome, unknown.Field));
        Assert.Equal(("dispatched", "r3"), (manual.Case!.Status, manual.Case.Assignee));
        Assert.Equal("r3", manual.Case.Timeline[^1].Details!["assignee"]);
    }

    [Fact]
    public async Task A_declined_case_releases_the_unit_and_goes_back_to_dispatch()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        CaseView c = await loop.ReportAsync("sos", CaseSource.Sensor);
        Assert.Equal("r1", c.Assignee);

        CaseView declined = await Ok(loop.DoAsync(c.Id, CaseAction.Decline, actor: "r1"));

        Assert.Equal(("verified", (string?)null), (declined.Status, declined.Assignee));
        Assert.Equal("available", loop.Directory.Get("r1")!.Status);
    }

    internal static async Task<CaseView> Ok(Task<CaseTransitionResult> transition)
    {
        CaseTransitionResult r = await transition;
        Assert.True(r.Outcome == CaseOutcome.Ok, $"{r.Outcome}: {r.Error}");
        return r.Case!;
    }

    internal static Alert GasAlert(CaseLoopSilo loop, string id, string building, DateTimeOffset at) => new(
        id, "alert", "gas", AlertSeverity.Critical, "Gas over the alarm point", EntityType.Sensor, $"sensor-{building}", CaseLoopSilo.Centre, at,
        building, "g1", "c1", "s1", [new Contact("Li Wei", "family", "13900000000")]);
}
