using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>SLA timers on the silo's virtual clock: an overdue stage escalates one level and notifies.</summary>
public sealed class CaseEscalationTests
{
    [Fact]
    public async Task An_overdue_stage_escalates_grid_community_street_district_and_notifies_each_time()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        var changes = new List<CaseChange>();
        await using IAsyncDisposable subscription = loop.Feeds.CaseChanges.Subscribe(c =>
        {
            lock (changes)
            {
                changes.Add(c);
            }

            return Task.CompletedTask;
        });
        // Each level's area has its own staff; a notice goes to the people of the level the case escalated to.
        foreach ((string area, AreaKind kind, string? parent) in new[] { ("d1", AreaKind.District, (string?)null), ("s1", AreaKind.Street, "d1"), ("c1", AreaKind.Community, "s1") })
        {
            await loop.Grains.GetGrain<IAreaGrain>(area).InitializeAsync(new AreaDefinition(
                area, kind, area, parent, [loop.Offset(-10, -10), loop.Offset(10, -10), loop.Offset(10, 10), loop.Offset(-10, -10)],
                [new Contact($"Head of {area}", "secretary", "1380000" + area)]));
        }

        // road-damage allows 4 h in "reported".
        string id = (await loop.ReportAsync("road-damage")).Id;

        await loop.AdvanceAsync(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1));
        CaseView early = (await loop.Case(id).GetAsync())!;
        await loop.AdvanceAsync(TimeSpan.FromSeconds(1));
        CaseView community = (await loop.Case(id).GetAsync())!;
        await loop.AdvanceAsync(TimeSpan.FromHours(4));
        CaseView street = (await loop.Case(id).GetAsync())!;
        await loop.AdvanceAsync(TimeSpan.FromHours(4));
        CaseView district = (await loop.Case(id).GetAsync())!;
        await loop.AdvanceAsync(TimeSpan.FromHours(12));
        CaseView still = (await loop.Case(id).GetAsync())!;

        Assert.Equal(("grid", false), (early.Level, early.Overdue));
        Assert.Equal(("community", true), (community.Level, community.Overdue));
        Assert.Equal("street", street.Level);
        Assert.Equal("district", district.Level);
        Assert.Equal(district.Timeline, still.Timeline);
        CaseTimelineEntry[] escalations = still.Timeline.Where(e => e.Action == "escalate").ToArray();
        Assert.Equal([CaseLoopSilo.Start.AddHours(4), CaseLoopSilo.Start.AddHours(8), CaseLoopSilo.Start.AddHours(12)], escalations.Select(e => e.At));
        Assert.Equal(["community", "street", "district"], escalations.Select(e => e.Details!["level"]));
        Alert[] notices = loop.Alerts.Recent(a => a.Kind == "caseOverdue").ToArray();
        Assert.Equal(3, notices.Length);
        Assert.All(notices, a => Assert.Equal((EntityType.Case, id), (a.EntityType, a.EntityId)));
        Assert.Equal(["Head of c1", "Head of s1", "Head of d1"], notices.OrderBy(a => a.At).Select(a => Assert.Single(a.Recipients).Name));
        await loop.Silo.WaitForQuiescenceAsync();
        lock (changes)
        {
            Assert.Equal(3, changes.Count(c => c.Kind == "escalated" && c.CaseId == id));
        }

        // Moving on clears the overdue flag and starts the next stage's clock; the level reached stays.
        CaseView verified = await CaseDispatchTests.Ok(loop.DoAsync(id, CaseAction.Verify));
        Assert.Equal((false, "district"), (verified.Overdue, verified.Level));
        Assert.Equal(loop.Clock.GetUtcNow().AddHours(4), verified.DueAt);
    }

    [Fact]
    public async Task A_stage_finished_in_time_never_escalates_and_a_closed_case_has_no_sla()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        string id = (await loop.ReportAsync("noise")).Id;
        await loop.AdvanceAsync(TimeSpan.FromHours(1));
        await CaseDispatchTests.Ok(loop.DoAsync(id, CaseAction.CloseOnSpot, actor: "r1", evidence: "https://photos.example/quiet.jpg"));

        await loop.AdvanceAsync(TimeSpan.FromDays(3));

        CaseView c = (await loop.Case(id).GetAsync())!;
        Assert.Equal(("grid", false, (DateTimeOffset?)null), (c.Level, c.Overdue, c.DueAt));
        Assert.DoesNotContain(c.Timeline, e => e.Action == "escalate");
        Assert.Empty(loop.Alerts.Recent(a => a.Kind == "caseOverdue"));
    }
}
