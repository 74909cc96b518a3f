using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>Sensor alerts become cases; repeated alarms of one building within the window join its open case.</summary>
public sealed class CaseIntakeTests
{
    [Fact]
    public async Task Repeated_alarms_from_one_building_within_the_window_join_its_open_case()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        DateTimeOffset t0 = CaseLoopSilo.Start;

        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a1", "b-1", t0));
        await loop.Silo.WaitForQuiescenceAsync();
        Assert.Equal(1, loop.Index.Count);
        await loop.AdvanceAsync(TimeSpan.FromMinutes(20));
        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a2", "b-1", t0.AddMinutes(20)));
        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a3", "b-2", t0.AddMinutes(20)));
        await loop.Silo.WaitForQuiescenceAsync();
        Assert.Equal(2, loop.Index.Count);
        // The window slides from the last joined alarm: 45 min after the first but 25 min after the second still joins.
        await loop.AdvanceAsync(TimeSpan.FromMinutes(25));
        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a4", "b-1", t0.AddMinutes(45)));
        await loop.Silo.WaitForQuiescenceAsync();

        CaseView b1 = await CaseOf(loop, "b-1");
        Assert.Equal(["a1", "a2", "a4"], b1.AlertIds);
        Assert.Equal(3, b1.Timeline.Count(e => e.Action is "report" or "alert-joined"));
        Assert.Equal(["a3"], (await CaseOf(loop, "b-2")).AlertIds);
        Assert.Equal(2, loop.Index.Count);
    }

    [Fact]
    public async Task An_alarm_after_the_window_or_after_the_case_closed_opens_a_new_case()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        DateTimeOffset t0 = CaseLoopSilo.Start;
        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a1", "b-1", t0));
        await loop.Silo.WaitForQuiescenceAsync();
        Assert.Equal(1, loop.Index.Count);

        await loop.AdvanceAsync(TimeSpan.FromMinutes(31));
        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a2", "b-1", t0.AddMinutes(31)));
        await loop.Silo.WaitForQuiescenceAsync();
        Assert.Equal(2, loop.Index.Count);

        string second = loop.Index.Query(new CaseQuery(), 1, 10).Page[0].Id;
        foreach (CaseAction step in new[] { CaseAction.Accept, CaseAction.Start, CaseAction.Resolve, CaseAction.Check, CaseAction.Close })
        {
            await CaseDispatchTests.Ok(loop.DoAsync(second, step, actor: "r2", evidence: "https://photos.example/after.jpg"));
        }

        await loop.AdvanceAsync(TimeSpan.FromMinutes(4));
        await loop.Alerts.PublishAsync(CaseDispatchTests.GasAlert(loop, "a3", "b-1", t0.AddMinutes(35)));
        await loop.Silo.WaitForQuiescenceAsync();
        Assert.Equal(3, loop.Index.Count);

        Assert.Equal(["a1"], (await loop.Case(loop.Index.Query(new CaseQuery(), 1, 10).Page[2].Id).GetAsync())!.AlertIds);
        Assert.Equal(["a2"], (await loop.Case(second).GetAsync())!.AlertIds);
        Assert.Equal(["a3"], (await loop.Case(loop.Index.Query(new CaseQuery(), 1, 10).Page[0].Id).GetAsync())!.AlertIds);
    }

    [Fact]
    public async Task Alerts_whose_kind_opens_no_case_stay_alerts()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        Alert warning = CaseDispatchTests.GasAlert(loop, "w1", "b-1", CaseLoopSilo.Start) with { Kind = "riverTier", Channel = "warning" };
        CaseIntake intake = loop.Silo.Intake;

        await loop.Alerts.PublishAsync(warning);
        await loop.Silo.WaitForQuiescenceAsync();

        Assert.Equal(1, intake.Ignored);
        Assert.Equal(0, loop.Index.Count);
    }

    private static async Task<CaseView> CaseOf(CaseLoopSilo loop, string building)
    {
        foreach (CaseSummary s in loop.Index.Query(new CaseQuery(), 1, 100).Page)
        {
            CaseView v = (await loop.Case(s.Id).GetAsync())!;
            if (v.BuildingId == building)
            {
                return v;
            }
        }

        throw new InvalidOperationException($"No case for {building}.");
    }
}
