using CityTwin.Grains.Cases;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>Two actors acting on one case at the same moment: one wins, the other is told the case moved on.</summary>
public sealed class CaseConcurrencyTests
{
    [Fact]
    public async Task Of_two_concurrent_transitions_one_wins_and_the_other_conflicts()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        for (int round = 0; round < 20; round++)
        {
            string id = (await loop.ReportAsync("road-damage")).Id;
            Task<CaseTransitionResult> verify = loop.DoAsync(id, CaseAction.Verify, actor: "alice");
            Task<CaseTransitionResult> reject = loop.DoAsync(id, CaseAction.Reject, actor: "bob");
            CaseTransitionResult[] results = await Task.WhenAll(verify, reject);

            CaseTransitionResult winner = Assert.Single(results, r => r.Outcome == CaseOutcome.Ok);
            CaseTransitionResult loser = Assert.Single(results, r => r.Outcome == CaseOutcome.Conflict);
            CaseView after = (await loop.Case(id).GetAsync())!;
            Assert.Equal(winner.Case!.Status, after.Status);
            Assert.Equal(2, after.Timeline.Length);
            Assert.Equal(after.AllowedActions, loser.AllowedActions);
        }
    }

    [Fact]
    public async Task A_transition_based_on_a_stale_read_conflicts_even_when_the_action_is_still_legal()
    {
        await using CaseLoopSilo loop = await CaseLoopSilo.StartAsync();
        string id = (await loop.ReportAsync("road-damage")).Id;
        await CaseDispatchTests.Ok(loop.DoAsync(id, CaseAction.Verify));
        int seen = (await loop.Case(id).GetAsync())!.Timeline.Length;
        await CaseDispatchTests.Ok(loop.DoAsync(id, CaseAction.Dispatch, assignee: "r1"));
        await CaseDispatchTests.Ok(loop.DoAsync(id, CaseAction.Decline, actor: "r1"));

        CaseTransitionResult stale = await loop.Case(id).TransitionAsync(
            new CaseTransitionRequest(CaseAction.Dispatch, "dispatcher") { Assignee = "r3", ExpectedSequence = seen });

        Assert.Equal(CaseOutcome.Conflict, stale.Outcome);
        Assert.Equal("verified", (await loop.Case(id).GetAsync())!.Status);
    }
}
