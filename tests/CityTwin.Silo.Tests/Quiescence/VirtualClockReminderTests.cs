using CityTwin.Silo.Quiescence;
using CityTwin.Silo.Storage;
using CityTwin.Silo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Silo.Tests.Quiescence;

/// <summary>
/// Reminders on a silo's virtual clock tick at their exact simulated times, and "advance, then settle" returns only after
/// each tick is delivered: what forks and drills rely on for SLA escalations. Orleans delivers reminder ticks from its own
/// loop and, by default, unloads reminders due beyond 10 minutes, so both are races unless the silo tracks them.
/// </summary>
public sealed class VirtualClockReminderTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_reminder_ticks_at_each_due_time_and_every_tick_has_arrived_when_an_advance_returns()
    {
        await using EmbeddedSilo silo = await StartAsync();
        ReminderLog log = silo.Services.GetRequiredService<ReminderLog>();
        await silo.GrainFactory.GetGrain<ICounterGrain>("v-1").RemindAsync("sla", TimeSpan.FromHours(4), TimeSpan.FromHours(4));

        var seen = new List<int>();
        for (int hour = 1; hour <= 24; hour++)
        {
            await silo.AdvanceTimeAsync(TimeSpan.FromHours(1));
            seen.Add(log.Count("v-1", "sla"));
        }

        Assert.Equal(Enumerable.Range(1, 24).Select(h => h / 4), seen);
        Assert.Equal(Enumerable.Range(1, 6).Select(n => Start.AddHours(4 * n)), log.Times("v-1", "sla"));
    }

    [Fact]
    public async Task One_long_advance_delivers_every_tick_in_it_in_order()
    {
        await using EmbeddedSilo silo = await StartAsync();
        ReminderLog log = silo.Services.GetRequiredService<ReminderLog>();
        await silo.GrainFactory.GetGrain<ICounterGrain>("v-2").RemindAsync("sla", TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));

        await silo.AdvanceTimeAsync(TimeSpan.FromDays(2));

        Assert.Equal(Enumerable.Range(0, 24).Select(n => Start.AddMinutes(30).AddHours(2 * n)), log.Times("v-2", "sla"));
    }

    private static Task<EmbeddedSilo> StartAsync() =>
        EmbeddedSilo.StartAsync(
            SiloStore.CreateMemory(),
            new SiloOptions { Name = "reminder-clock", ClusterId = $"reminder-clock-{Guid.NewGuid():N}" },
            silo => silo.ConfigureServices(services => services.AddSingleton<ReminderLog>()),
            new VirtualTimeProvider(Start, new WorkTracker()),
            ownsStore: true);
}
