namespace CityTwin.Silo.Tests.Runtime;

/// <summary>Bounded queues: overload is reported to callers, never absorbed as memory; stuck calls time out.</summary>
public sealed class BackPressureTests
{
    [Fact]
    public async Task With_the_queue_full_callers_get_the_overload_error_and_memory_stays_bounded()
    {
        var (silo, probe) = await TestSilo.StartAsync(b => b.Configure(o => o.MaxQueueLengthPerGrain = 100));
        await using var _s = silo;
        ICounterGrain grain = silo.GrainFactory.GetGrain<ICounterGrain>("jammed");
        Task busy = grain.WaitForGateAsync("jam");
        await TurnBasedExecutionTests.WaitUntil(() => probe.Events.Contains("start jam"));

        Task[] queued = Enumerable.Range(0, 100).Select(_ => grain.NoteAsync("queued")).ToArray();
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        int rejected = 0;
        for (int i = 0; i < 200_000; i++)
        {
            Task t = grain.IncrementAsync();
            Assert.True(t.IsFaulted, "a call beyond the queue limit must be rejected at once");
            Assert.IsType<GrainOverloadedException>(t.Exception!.InnerException);
            rejected++;
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(200_000, rejected);
        Assert.True(after - before < 8 * 1024 * 1024, $"memory grew by {after - before} bytes while rejecting");
        SiloStatistics stats = silo.GetStatistics();
        Assert.Equal(100, stats.QueuedMessages);
        Assert.True(stats.Overloads >= 200_000);

        probe.Gate.SetResult();
        await busy;
        await Task.WhenAll(queued);
        await silo.WaitForQuiescenceAsync();
        Assert.Equal(100, probe.Events.Count(e => e == "queued"));
    }

    [Fact]
    public async Task The_silo_in_flight_limit_rejects_calls_to_any_grain()
    {
        var (silo, probe) = await TestSilo.StartAsync(b => b.Configure(o => o.MaxInFlight = 10));
        await using var _s = silo;
        Task[] busy = Enumerable.Range(0, 10).Select(i => silo.GrainFactory.GetGrain<ICounterGrain>($"g{i}").WaitForGateAsync($"g{i}")).ToArray();

        await Assert.ThrowsAsync<GrainOverloadedException>(() => silo.GrainFactory.GetGrain<ICounterGrain>("other").IncrementAsync());

        probe.Gate.SetResult();
        await Task.WhenAll(busy);
        Assert.Equal(1, await silo.GrainFactory.GetGrain<ICounterGrain>("other").IncrementAsync());
    }

    [Fact]
    public async Task A_call_that_outlives_the_response_timeout_fails_with_a_timeout()
    {
        var (silo, probe) = await TestSilo.StartAsync(b => b.Configure(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(500)));
        await using var _s = silo;
        ICounterGrain grain = silo.GrainFactory.GetGrain<ICounterGrain>("stuck");

        Task running = grain.WaitForGateAsync("stuck");
        Task queued = grain.IncrementAsync();

        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => running.WaitAsync(TimeSpan.FromSeconds(15)));
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => queued.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(silo.GetStatistics().Timeouts >= 2);

        // The timed-out queued increment is dropped, not run later.
        probe.Gate.SetResult();
        await silo.WaitForQuiescenceAsync();
        Assert.Equal(0, await grain.GetAsync());
    }

    [Fact]
    public async Task A_stopped_silo_refuses_calls_with_a_clear_error()
    {
        var (silo, _) = await TestSilo.StartAsync();
        ICounterGrain grain = silo.GrainFactory.GetGrain<ICounterGrain>("late");
        await grain.IncrementAsync();
        await silo.DisposeAsync();

        var e = await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.IncrementAsync());
        Assert.Contains("not running", e.Message);
    }
}
