using CityTwin.Grains.Cases;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>KPIs and heat-map aggregates on a small fixture whose figures were worked out by hand.</summary>
public sealed class CaseKpiTests
{
    [Fact]
    public async Task Kpis_of_four_cases_match_the_figures_worked_out_by_hand()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        // All reported at 08:00 UTC Monday (16:00 in Chengdu). A: citizen road damage, handled end to end in 2 h.
        // B: hotline noise, rejected after 5 min. C: patrol noise, closed on the spot after 2 min. D: citizen road
        // damage 1.5 km east (grid g2, cell-b), verified after 30 min and left waiting for dispatch.
        string a = (await loop.ReportAsync("road-damage", CaseSource.Citizen)).Id;
        string b = (await loop.ReportAsync("noise", CaseSource.Hotline)).Id;
        string c = (await loop.ReportAsync("noise", CaseSource.Patrol)).Id;
        string d = (await loop.ReportAsync("road-damage", CaseSource.Citizen, loop.Offset(1500, 0))).Id;
        await At(2, () => loop.DoAsync(c, CaseAction.CloseOnSpot, actor: "r1", evidence: "https://photos.example/c.jpg"));
        await At(5, () => loop.DoAsync(b, CaseAction.Reject));
        await At(10, () => loop.DoAsync(a, CaseAction.Verify));
        await At(30, () => loop.DoAsync(a, CaseAction.Dispatch, assignee: "r2"));
        await At(30, () => loop.DoAsync(d, CaseAction.Verify));
        await At(35, () => loop.DoAsync(a, CaseAction.Accept, actor: "r2"));
        await At(45, () => loop.DoAsync(a, CaseAction.Start, actor: "r2"));
        await At(105, () => loop.DoAsync(a, CaseAction.Resolve, actor: "r2", evidence: "https://photos.example/a.jpg"));
        await At(115, () => loop.DoAsync(a, CaseAction.Check));
        await At(120, () => loop.DoAsync(a, CaseAction.Close));
        await loop.Silo.WaitForQuiescenceAsync();

        KpiReport k = await loop.Grains.GetGrain<ICaseAreaStatsGrain>("d1").GetKpisAsync(CaseLoopSilo.Start.Date, CaseLoopSilo.Start.Date.AddDays(1));

        Assert.Equal(4, k.Reported);
        Assert.Equal(new Dictionary<string, long> { ["citizen"] = 2, ["hotline"] = 1, ["patrol"] = 1 }, k.BySource);
        Assert.Equal(new Dictionary<string, long> { ["road-damage"] = 2, ["noise"] = 2 }, k.ByCategory);
        Assert.Equal(new Dictionary<string, long> { ["closed"] = 2, ["rejected"] = 1, ["verified"] = 1 }, k.ByStatus);
        Assert.Equal((2, 1), (k.Closed, k.Rejected));
        Assert.Equal(2.0 / 3, k.ClosureRate!.Value, 6);
        Assert.Equal(0.75, k.CitizenShare!.Value, 6);
        // Time in "reported": C 120 s, B 300 s, A 600 s, D 1800 s -> median (2nd of 4) 300 s, p90 (4th) 1800 s.
        Assert.Equal(new StageKpi(4, 300, 1800), k.Stages["reported"]);
        Assert.Equal(new StageKpi(1, 1200, 1200), k.Stages["verified"]);
        Assert.Equal(new StageKpi(1, 3600, 3600), k.Stages["in-progress"]);
        // End to end: C 120 s, A 7200 s.
        Assert.Equal(new StageKpi(2, 120, 7200), k.EndToEnd);
        Assert.Equal((0, 0), (k.Overdue, k.OverdueOpen));

        // D waits in "verified" (SLA 4 h from 08:30): past 12:30 it is overdue.
        await loop.AdvanceAsync(TimeSpan.FromHours(3));
        await loop.Silo.WaitForQuiescenceAsync();
        KpiReport later = await loop.Grains.GetGrain<ICaseAreaStatsGrain>("d1").GetKpisAsync(null, null);
        Assert.Equal((1, 1), (later.Overdue, later.OverdueOpen));

        KpiReport g2 = await loop.Grains.GetGrain<ICaseAreaStatsGrain>("g2").GetKpisAsync(null, null);
        Assert.Equal((1L, 1L), (g2.Reported, g2.ByStatus["verified"]));
        KpiReport dayBefore = await loop.Grains.GetGrain<ICaseAreaStatsGrain>("d1").GetKpisAsync(CaseLoopSilo.Start.Date.AddDays(-1), CaseLoopSilo.Start.Date);
        Assert.Equal((0L, (double?)null), (dayBefore.Reported, dayBefore.ClosureRate));

        async Task At(int minute, Func<Task<CaseTransitionResult>> act)
        {
            TimeSpan wait = CaseLoopSilo.Start.AddMinutes(minute) - loop.Clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await loop.AdvanceAsync(wait);
            }

            await CaseDispatchTests.Ok(act());
        }
    }

    [Fact]
    public async Task Heat_map_aggregates_count_cases_per_cell_and_per_local_weekday_and_hour()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        await loop.ReportAsync("noise");
        await loop.ReportAsync("road-damage");
        await loop.ReportAsync("noise", at: loop.Offset(1500, 0));
        await loop.AdvanceAsync(TimeSpan.FromHours(17));
        await loop.ReportAsync("noise");
        await loop.Silo.WaitForQuiescenceAsync();
        ICaseAreaStatsGrain district = loop.Grains.GetGrain<ICaseAreaStatsGrain>("d1");

        Assert.Equal(["cell-a", "cell-b"], (await district.GetCellsAsync()).Order());
        Assert.Equal(3, await loop.Grains.GetGrain<ICaseCellStatsGrain>("cell-a").CountAsync(null, null, null));
        Assert.Equal(2, await loop.Grains.GetGrain<ICaseCellStatsGrain>("cell-a").CountAsync(null, null, "noise"));
        Assert.Equal(1, await loop.Grains.GetGrain<ICaseCellStatsGrain>("cell-b").CountAsync(null, null, "noise"));
        // 08:00 UTC Monday is 16:00 Monday in UTC+8; 17 h later, 01:00 UTC Tuesday is 09:00 Tuesday.
        int[][] all = await district.GetHourWeekdayAsync(null, null, null, 8);
        int[][] noise = await district.GetHourWeekdayAsync(null, null, "noise", 8);
        Assert.Equal((3, 1, 4), (all[0][16], all[1][9], all.Sum(r => r.Sum())));
        Assert.Equal((2, 1, 3), (noise[0][16], noise[1][9], noise.Sum(r => r.Sum())));
    }
}
