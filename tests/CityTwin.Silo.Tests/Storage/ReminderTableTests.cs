using CityTwin.Silo.Reminders;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>The reminder-table contract every store kind must keep: upsert replaces, remove reports, reminders outlive the silo.</summary>
public sealed class ReminderTableTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset _start = new(2024, 7, 1, 8, 30, 0, TimeSpan.Zero);

    // A grain type per test keeps tests independent inside the class's shared PostgreSQL database.
    private readonly string _grainType = "Case-" + Guid.NewGuid().ToString("N");

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Registering_again_replaces_the_schedule_and_remove_reports_whether_it_existed(StoreKind kind)
    {
        await using SiloStore store = await SiloStore.OpenAsync(await fixture.CreateTargetAsync(kind));
        ReminderEntry escalate = new(_grainType, "case-1", "escalate", _start, TimeSpan.FromMinutes(15));
        ReminderEntry sla = new(_grainType, "case-1", "sla", _start.AddHours(1), TimeSpan.FromHours(1));

        await store.Reminders.UpsertAsync(escalate);
        await store.Reminders.UpsertAsync(sla);
        await store.Reminders.UpsertAsync(escalate with { StartAt = _start.AddMinutes(5), Period = TimeSpan.FromMinutes(10) });

        Assert.Equal(
            [escalate with { StartAt = _start.AddMinutes(5), Period = TimeSpan.FromMinutes(10) }, sla],
            await ReadOursAsync(store.Reminders));
        Assert.True(await store.Reminders.RemoveAsync(_grainType, "case-1", "sla"));
        Assert.False(await store.Reminders.RemoveAsync(_grainType, "case-1", "sla"));
        Assert.False(await store.Reminders.RemoveAsync(_grainType, "case-2", "escalate"));
        Assert.Equal([escalate with { StartAt = _start.AddMinutes(5), Period = TimeSpan.FromMinutes(10) }], await ReadOursAsync(store.Reminders));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.DurableKinds), MemberType = typeof(StoreFixture))]
    public async Task Reminders_survive_closing_and_reopening_the_store(StoreKind kind)
    {
        StoreOptions target = await fixture.CreateTargetAsync(kind);
        ReminderEntry kept = new(_grainType, "gauge-7", "poll", _start, TimeSpan.FromSeconds(30) + TimeSpan.FromTicks(7));
        await using (SiloStore first = await SiloStore.OpenAsync(target))
        {
            await first.Reminders.UpsertAsync(kept);
            await first.Reminders.UpsertAsync(new ReminderEntry(_grainType, "gauge-8", "poll", _start, TimeSpan.FromSeconds(30)));
            Assert.True(await first.Reminders.RemoveAsync(_grainType, "gauge-8", "poll"));
        }

        await using SiloStore reopened = await SiloStore.OpenAsync(target);

        Assert.Equal([kept], await ReadOursAsync(reopened.Reminders));
    }

    private async Task<List<ReminderEntry>> ReadOursAsync(IReminderTable table) =>
        (await table.ReadAllAsync()).Where(entry => entry.GrainType == _grainType).OrderBy(entry => entry.Name, StringComparer.Ordinal).ToList();
}
