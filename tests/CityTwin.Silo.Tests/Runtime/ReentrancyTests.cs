using System.Diagnostics;

namespace CityTwin.Silo.Tests.Runtime;

/// <summary>Call-chain reentrancy: call cycles complete instead of deadlocking until a timeout (Orleans' best-known pitfall).</summary>
public sealed class ReentrancyTests
{
    [Theory]
    [InlineData("a,b,a")]
    [InlineData("a,b,c,a")]
    [InlineData("a,b,a,b,c,a")]
    public async Task A_call_cycle_completes_quickly(string cycle)
    {
        string[] path = cycle.Split(',');
        // A short response timeout: a deadlock would surface as a timeout, not as a hang.
        var (silo, _) = await TestSilo.StartAsync(b => b.Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(5)));
        await using var _s = silo;

        var watch = Stopwatch.StartNew();
        int calls = await silo.GrainFactory.GetGrain<IChainGrain>(path[0]).CallAlongAsync(path, 1);

        Assert.Equal(path.Length, calls);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"cycle took {watch.Elapsed}");
        Assert.Equal(path.Count(p => p == "a"), await silo.GrainFactory.GetGrain<IChainGrain>("a").HitsAsync());
    }

    [Fact]
    public async Task Concurrent_cycles_from_one_root_queue_and_all_complete()
    {
        var (silo, _) = await TestSilo.StartAsync(b => b.Configure(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        await using var _s = silo;

        // Unrelated callers of "root" still queue; each one's cycle back into "root" interleaves only with itself.
        Task<int>[] cycles = Enumerable.Range(0, 50)
            .Select(_ => silo.GrainFactory.GetGrain<IChainGrain>("root").CallAlongAsync(["root", "m", "root", "n", "root"], 1))
            .ToArray();

        int[] results = await Task.WhenAll(cycles).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(results, r => Assert.Equal(5, r));
        Assert.Equal(150, await silo.GrainFactory.GetGrain<IChainGrain>("root").HitsAsync());
    }
}
