namespace CityTwin.Silo.Tests.Runtime;

/// <summary>Single activation and turn-based execution: the invariants every grain relies on to need no locks.</summary>
public sealed class TurnBasedExecutionTests
{
    [Fact]
    public async Task Thousand_concurrent_callers_on_one_grain_never_see_two_turns_or_two_activations()
    {
        var (silo, probe) = await TestSilo.StartAsync();
        await using var _ = silo;

        // Each caller gets its own reference, as independent front ends would.
        Task<int>[] calls = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(() => silo.GrainFactory.GetGrain<ICounterGrain>("hot").IncrementAsync()))
            .ToArray();
        int[] results = await Task.WhenAll(calls);

        // The increment reads, awaits three times, then writes: any interleaving would lose updates.
        Assert.Equal(1000, await silo.GrainFactory.GetGrain<ICounterGrain>("hot").GetAsync());
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1, probe.MaxConcurrent);
        Assert.Equal(1, probe.Activations["hot"]);
        Assert.Equal(1, silo.ActivationCount);
    }

    [Fact]
    public async Task Continuations_after_await_resume_on_the_activation_scheduler()
    {
        var (silo, _) = await TestSilo.StartAsync();
        await using var _s = silo;

        Assert.True(await silo.GrainFactory.GetGrain<ICounterGrain>("sched").ContinuationsStayOnActivationAsync());
    }

    [Fact]
    public async Task A_grain_exception_reaches_the_caller_with_its_type_and_message()
    {
        var (silo, _) = await TestSilo.StartAsync();
        await using var _s = silo;

        var e = await Assert.ThrowsAsync<ArgumentException>(() => silo.GrainFactory.GetGrain<ICounterGrain>("thrower").ThrowAsync("bad sensor id"));
        Assert.Equal("bad sensor id", e.Message);

        // The grain stays usable after a failed call.
        Assert.Equal(1, await silo.GrainFactory.GetGrain<ICounterGrain>("thrower").IncrementAsync());
    }

    [Fact]
    public async Task An_unrelated_caller_waits_until_the_running_request_completes()
    {
        var (silo, probe) = await TestSilo.StartAsync();
        await using var _s = silo;
        ICounterGrain grain = silo.GrainFactory.GetGrain<ICounterGrain>("gate");

        Task first = grain.WaitForGateAsync("first");
        await WaitUntil(() => probe.Events.Contains("start first"));
        Task second = grain.WaitForGateAsync("second");
        await Task.Delay(100);

        Assert.Equal(["start first"], probe.Events);
        probe.Gate.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(["start first", "end first", "start second", "end second"], probe.Events);
    }

    [Fact]
    public async Task One_way_calls_return_before_the_grain_runs_them()
    {
        var (silo, probe) = await TestSilo.StartAsync();
        await using var _s = silo;
        ICounterGrain grain = silo.GrainFactory.GetGrain<ICounterGrain>("oneway");

        Task busy = grain.WaitForGateAsync("busy");
        await WaitUntil(() => probe.Events.Contains("start busy"));
        Task note = grain.NoteAsync("noted");

        Assert.True(note.IsCompletedSuccessfully);
        Assert.DoesNotContain("noted", probe.Events);
        probe.Gate.SetResult();
        await busy;
        await silo.WaitForQuiescenceAsync();
        Assert.Contains("noted", probe.Events);
    }

    [Fact]
    public async Task A_failed_activation_fails_its_callers_and_the_next_call_activates_again()
    {
        var (silo, probe) = await TestSilo.StartAsync();
        await using var _s = silo;
        IFailingGrain grain = silo.GrainFactory.GetGrain<IFailingGrain>("flaky");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.PingAsync());
        Assert.IsType<InvalidDataException>(e.InnerException);
        Assert.Equal(1, await grain.PingAsync());
        Assert.Equal(2, probe.Activations["flaky"]);
    }

    [Fact]
    public async Task Silos_in_one_process_share_no_grains_or_state()
    {
        var (a, _) = await TestSilo.StartAsync(b => b.Configure(o => o.Name = "a"));
        var (b, _) = await TestSilo.StartAsync(x => x.Configure(o => o.Name = "b"));
        await using var _a = a;
        await using var _b = b;

        await a.GrainFactory.GetGrain<ICounterGrain>("same").IncrementAsync();
        await a.GrainFactory.GetGrain<ICounterGrain>("same").IncrementAsync();
        await b.GrainFactory.GetGrain<ICounterGrain>("same").IncrementAsync();

        Assert.Equal(2, await a.GrainFactory.GetGrain<ICounterGrain>("same").GetAsync());
        Assert.Equal(1, await b.GrainFactory.GetGrain<ICounterGrain>("same").GetAsync());
    }

    [Fact]
    public async Task An_unknown_grain_interface_is_a_clear_error()
    {
        var (silo, _) = await TestSilo.StartAsync();
        await using var _s = silo;

        var e = Assert.Throws<ArgumentException>(() => silo.GrainFactory.GetGrain<IUnimplementedGrain>("x"));
        Assert.Contains("IUnimplementedGrain", e.Message);
    }

    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(5);
        }
    }
}

public interface IUnimplementedGrain : IGrainWithStringKey
{
    Task PingAsync();
}
