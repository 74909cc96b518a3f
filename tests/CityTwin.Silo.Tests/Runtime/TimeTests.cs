using System.Diagnostics;
using CityTwin.Silo.Storage;
using CityTwin.Silo.Tests.Storage;

namespace CityTwin.Silo.Tests.Runtime;

/// <summary>Timers and reminders on the silo's clock, including a virtual clock that runs simulated time.</summary>
public sealed class TimeTests(StoreFixture stores) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Timers_fire_in_virtual_time_at_exact_simulated_instants()
    {
        var clock = new VirtualTimeProvider(Start);
        var (silo, probe) = await TestSilo.StartAsync(b => b.UseTimeProvider(clock));
        await using var _s = silo;
        await silo.GrainFactory.GetGrain<ITickingGrain>("pump").StartTimerAsync(TimeSpan.FromMinutes(1));

        var watch = Stopwatch.StartNew();
        await silo.AdvanceTimeAsync(TimeSpan.FromHours(1));
        watch.Stop();

        DateTimeOffset[] ticks = probe.Ticks.Select(t => t.At).ToArray();
        Assert.Equal(60, ticks.Length);
        Assert.Equal(Enumerable.Range(1, 60).Select(m => Start.AddMinutes(m)), ticks);
        Assert.Equal(Start.AddHours(1), clock.GetUtcNow());

        // A simulated hour runs in far less than a real one (the bound is loose: machines are shared).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"a simulated hour took {watch.Elapsed}");
    }

    [Fact]
    public async Task Timer_ticks_never_overlap_even_when_the_callback_outlasts_the_period()
    {
        var (silo, probe) = await TestSilo.StartAsync();
        await using var _s = silo;

        await silo.GrainFactory.GetGrain<ITickingGrain>("slow").StartSlowTimerAsync(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40));
        await TurnBasedExecutionTests.WaitUntil(() => probe.Ticks.Count >= 5);

        Assert.Equal(1, probe.MaxConcurrent);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.DurableKinds), MemberType = typeof(StoreFixture))]
    public async Task Reminders_fire_after_a_silo_restart(StoreKind kind)
    {
        StoreOptions target = await stores.CreateTargetAsync(kind);
        string key = Guid.NewGuid().ToString("N");
        await using (SiloStore store = await SiloStore.OpenAsync(target))
        {
            var (silo, probe) = await TestSilo.StartOnAsync(store, b => b.UseTimeProvider(new VirtualTimeProvider(Start)));
            await silo.GrainFactory.GetGrain<ITickingGrain>(key).StartReminderAsync("inspect", TimeSpan.FromMinutes(10));
            await silo.DisposeAsync();
            Assert.Empty(probe.Ticks);
        }

        await using (SiloStore store = await SiloStore.OpenAsync(target))
        {
            var clock = new VirtualTimeProvider(Start.AddMinutes(5));
            var (silo, probe) = await TestSilo.StartOnAsync(store, b => b.UseTimeProvider(clock));
            await using var _s = silo;
            Assert.Equal(0, silo.ActivationCount);

            await silo.AdvanceTimeAsync(TimeSpan.FromMinutes(30));

            Assert.Equal(
                [Start.AddMinutes(10), Start.AddMinutes(20), Start.AddMinutes(30)],
                probe.Ticks.Where(t => t.Grain == key && t.Name == "inspect").Select(t => t.At));
            Assert.Equal(1, silo.ActivationCount);
        }
    }

    [Fact]
    public async Task An_unregistered_reminder_stops_firing_and_is_gone_from_the_table()
    {
        await using SiloStore store = await SiloStore.OpenAsync(await stores.CreateTargetAsync(StoreKind.Sqlite));
        var (silo, probe) = await TestSilo.StartOnAsync(store, b => b.UseTimeProvider(new VirtualTimeProvider(Start)));
        await using var _s = silo;
        ITickingGrain grain = silo.GrainFactory.GetGrain<ITickingGrain>("temp");

        await grain.StartReminderAsync("check", TimeSpan.FromMinutes(1));
        await silo.AdvanceTimeAsync(TimeSpan.FromMinutes(2));
        await grain.StopReminderAsync("check");
        await silo.AdvanceTimeAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(2, probe.Ticks.Count);
        Assert.Empty(await store.Reminders.ReadAllAsync());
    }
}
