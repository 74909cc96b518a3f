using CityTwin.Grains.Cases;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>Every action in every status, on a real case grain: legal ones move the case, illegal ones change nothing and list what is allowed.</summary>
public sealed class CaseTransitionTests
{
    // The expected machine, written out by hand from the product's case loop: reported -> verified | rejected -> dispatched ->
    // accepted -> in progress -> resolved -> checked -> closed; a failed check reopens; grid workers close on the spot.
    private static readonly Dictionary<(CaseStatus, CaseAction), CaseStatus> Legal = new()
    {
        [(CaseStatus.Reported, CaseAction.Verify)] = CaseStatus.Verified,
        [(CaseStatus.Reported, CaseAction.Reject)] = CaseStatus.Rejected,
        [(CaseStatus.Reported, CaseAction.CloseOnSpot)] = CaseStatus.Closed,
        [(CaseStatus.Verified, CaseAction.Dispatch)] = CaseStatus.Dispatched,
        [(CaseStatus.Verified, CaseAction.CloseOnSpot)] = CaseStatus.Closed,
        [(CaseStatus.Dispatched, CaseAction.Accept)] = CaseStatus.Accepted,
        [(CaseStatus.Dispatched, CaseAction.Decline)] = CaseStatus.Verified,
        [(CaseStatus.Accepted, CaseAction.Start)] = CaseStatus.InProgress,
        [(CaseStatus.InProgress, CaseAction.Resolve)] = CaseStatus.Resolved,
        [(CaseStatus.Resolved, CaseAction.Check)] = CaseStatus.Checked,
        [(CaseStatus.Resolved, CaseAction.FailCheck)] = CaseStatus.Dispatched,
        [(CaseStatus.Checked, CaseAction.Close)] = CaseStatus.Closed,
    };

    private static readonly CaseAction[] PathToChecked =
        [CaseAction.Verify, CaseAction.Dispatch, CaseAction.Accept, CaseAction.Start, CaseAction.Resolve, CaseAction.Check, CaseAction.Close];

    public static TheoryData<CaseStatus, CaseAction> AllPairs()
    {
        var data = new TheoryData<CaseStatus, CaseAction>();
        foreach (CaseStatus s in Enum.GetValues<CaseStatus>())
        {
            foreach (CaseAction a in Enum.GetValues<CaseAction>())
            {
                data.Add(s, a);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public async Task Each_action_in_each_status_is_applied_or_refused_with_the_allowed_actions(CaseStatus status, CaseAction action)
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        // "noise" may be closed on the spot and is not dispatched automatically, so every status is reachable by hand.
        string id = (await loop.ReportAsync("noise")).Id;
        await DriveToAsync(loop, id, status);
        CaseView before = (await loop.Case(id).GetAsync())!;
        Assert.Equal(CaseNames.Of(status), before.Status);

        CaseTransitionResult result = await loop.DoAsync(id, action, actor: "r1", assignee: "r2", evidence: "https://photos.example/after.jpg");

        string[] expectedAllowed = Legal.Keys.Where(k => k.Item1 == status).Select(k => CaseNames.Of(k.Item2)).ToArray();
        if (Legal.TryGetValue((status, action), out CaseStatus next))
        {
            Assert.Equal(CaseOutcome.Ok, result.Outcome);
            Assert.Equal(CaseNames.Of(next), result.Case!.Status);
            CaseTimelineEntry last = result.Case.Timeline[^1];
            Assert.Equal((CaseNames.Of(action), CaseNames.Of(status), CaseNames.Of(next), "r1"), (last.Action, last.From, last.To, last.Actor));
            Assert.Equal(before.Timeline.Length + 1, result.Case.Timeline.Length);
        }
        else
        {
            Assert.Equal(CaseOutcome.Conflict, result.Outcome);
            Assert.Equal(expectedAllowed.Order(), result.AllowedActions.Order());
            CaseView after = (await loop.Case(id).GetAsync())!;
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.Timeline, after.Timeline);
        }
    }

    [Fact]
    public async Task A_failed_check_reopens_the_case_to_the_same_unit_and_keeps_the_history()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        string id = (await loop.ReportAsync("road-damage")).Id;
        await DriveToAsync(loop, id, CaseStatus.Resolved);

        CaseTransitionResult reopened = await loop.DoAsync(id, CaseAction.FailCheck, actor: "inspector-7");

        Assert.Equal("dispatched", reopened.Case!.Status);
        Assert.Equal("r2", reopened.Case.Assignee);
        Assert.Equal("dispatched", loop.Directory.Get("r2")!.Status);
        Assert.Equal(["report", "verify", "dispatch", "accept", "start", "resolve", "fail-check"], reopened.Case.Timeline.Select(e => e.Action));
    }

    [Fact]
    public async Task Resolving_needs_an_after_photo()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        string id = (await loop.ReportAsync("road-damage")).Id;
        await DriveToAsync(loop, id, CaseStatus.InProgress);

        CaseTransitionResult result = await loop.DoAsync(id, CaseAction.Resolve, actor: "r2");

        Assert.Equal(CaseOutcome.Invalid, result.Outcome);
        Assert.Equal("evidence", result.Field);
        Assert.Equal("in-progress", (await loop.Case(id).GetAsync())!.Status);
    }

    [Fact]
    public async Task Only_small_issues_close_on_the_spot_and_only_by_a_grid_worker()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        string big = (await loop.ReportAsync("road-damage")).Id;
        string small = (await loop.ReportAsync("noise")).Id;

        CaseTransitionResult refused = await loop.DoAsync(big, CaseAction.CloseOnSpot, actor: "r1", evidence: "https://photos.example/a.jpg");
        CaseTransitionResult notAWorker = await loop.DoAsync(small, CaseAction.CloseOnSpot, actor: "someone", evidence: "https://photos.example/a.jpg");
        CaseTransitionResult closed = await loop.DoAsync(small, CaseAction.CloseOnSpot, actor: "r1", evidence: "https://photos.example/a.jpg");

        Assert.Equal(CaseOutcome.Conflict, refused.Outcome);
        Assert.Contains("on the spot", refused.Error);
        Assert.DoesNotContain("close-on-spot", refused.AllowedActions);
        Assert.Equal((CaseOutcome.Invalid, "actor"), (notAWorker.Outcome, notAWorker.Field));
        Assert.Equal("closed", closed.Case!.Status);
        Assert.Equal(["https://photos.example/a.jpg"], closed.Case.Timeline[^1].Evidence);
    }

    [Fact]
    public async Task A_transition_on_a_case_never_reported_is_not_found()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        CaseTransitionResult result = await loop.DoAsync("case-nope", CaseAction.Verify);
        Assert.Equal(CaseOutcome.NotFound, result.Outcome);
        Assert.Null(await loop.Case("case-nope").GetAsync());
    }

    /// <summary>Drives a fresh case to <paramref name="status"/> by legal steps (dispatching to r2 by hand).</summary>
    internal static async Task DriveToAsync(CaseLoopSilo loop, string id, CaseStatus status)
    {
        if (status == CaseStatus.Reported)
        {
            return;
        }

        if (status == CaseStatus.Rejected)
        {
            Assert.Equal(CaseOutcome.Ok, (await loop.DoAsync(id, CaseAction.Reject)).Outcome);
            return;
        }

        foreach (CaseAction step in PathToChecked)
        {
            CaseTransitionResult r = await loop.DoAsync(id, step, actor: "r2", assignee: "r2", evidence: "https://photos.example/after.jpg");
            Assert.Equal(CaseOutcome.Ok, r.Outcome);
            if (r.Case!.Status == CaseNames.Of(status))
            {
                return;
            }
        }

        throw new InvalidOperationException($"No path to {status}.");
    }
}
