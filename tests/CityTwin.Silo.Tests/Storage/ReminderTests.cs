using CityTwin.Silo.Storage;
using CityTwin.TestSupport;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Reminders registered through the store's reminder service outlive the silo that registered them.</summary>
public sealed class ReminderTests
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task A_reminder_fires_after_a_silo_restart_without_the_grain_being_called(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            ICounterGrain grain = silo.Grains.GetGrain<ICounterGrain>("r-1");
            await grain.RemindAsync("sla", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            await grain.RemindAsync("removed", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            await grain.ForgetAsync("removed");
        }

        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            // Nothing calls the grain: only the reminder service, reading the table, can activate it.
            await TestWait.UntilAsync(() => silo.Reminders.Count("r-1", "sla") >= 2, _patience, "two ticks of the restored reminder");
            Assert.Equal(0, silo.Reminders.Count("r-1", "removed"));
        }
    }

    [Fact]
    public async Task A_memory_store_runs_reminders_in_its_silo()
    {
        await using SiloStore store = SiloStore.CreateMemory();
        await using TestSilo silo = await TestSilo.StartAsync(store);

        await silo.Grains.GetGrain<ICounterGrain>("m-1").RemindAsync("tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await TestWait.UntilAsync(() => silo.Reminders.Count("m-1", "tick") >= 1, _patience, "a tick of the in-memory reminder");
    }
}
