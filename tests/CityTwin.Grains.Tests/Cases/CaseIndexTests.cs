using CityTwin.Grains.Cases;
using CityTwin.Silo.Storage;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>The case list: filters, and rebuilding it from storage when a server restarts.</summary>
public sealed class CaseIndexTests
{
    [Fact]
    public async Task A_restarted_server_lists_the_stored_cases_as_they_were()
    {
        await using SiloStore store = SiloStore.CreateMemory();
        string verified, rejected;
        await using (CaseLoopSilo loop = await CaseLoopSilo.StartAsync(store))
        {
            verified = (await loop.ReportAsync("road-damage")).Id;
            rejected = (await loop.ReportAsync("noise", CaseSource.Hotline, loop.Offset(1500, 0))).Id;
            await CaseDispatchTests.Ok(loop.DoAsync(verified, CaseAction.Verify));
            await CaseDispatchTests.Ok(loop.DoAsync(rejected, CaseAction.Reject));
        }

        var index = new CaseIndex();
        int restored = await index.RestoreAsync(store.States);

        Assert.Equal(2, restored);
        Assert.Equal((CaseStatus.Verified, "g1"), (index.Get(verified)!.Status, index.Get(verified)!.GridId));
        Assert.Equal([rejected], index.Query(new CaseQuery(Area: "g2"), 1, 10).Page.Select(c => c.Id));
        Assert.Equal([rejected], index.Query(new CaseQuery(Source: CaseSource.Hotline, Status: CaseStatus.Rejected), 1, 10).Page.Select(c => c.Id));
        Assert.Equal(2, index.Query(new CaseQuery(Area: "d1", From: CaseLoopSilo.Start, To: CaseLoopSilo.Start.AddMinutes(1)), 1, 10).Total);
        Assert.Equal(0, index.Query(new CaseQuery(From: CaseLoopSilo.Start.AddMinutes(1)), 1, 10).Total);
    }
}
