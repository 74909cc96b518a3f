using System.Text;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>The event-log contract every store kind must keep: ordered, durable, all-or-none batches, range reads.</summary>
public sealed class EventLogTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    private static readonly DateTimeOffset _t0 = new(2024, 7, 1, 8, 0, 0, TimeSpan.Zero);

    // A kind per test keeps tests independent inside the class's shared PostgreSQL database.
    private readonly string _kind = "telemetry-" + Guid.NewGuid().ToString("N");

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task An_append_answers_the_seqs_it_stored_and_reading_after_a_seq_returns_the_later_entries_of_a_kind(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        long[] first = await store.EventLog.AppendBatchAsync([Entry(0, "a"), Entry(1, "b"), Entry(2, "a")]);
        long other = await store.EventLog.AppendAsync(new EventAppend(_t0, _kind + "-other", "a", Bytes("x")));
        long[] second = await Task.WhenAll(Enumerable.Range(3, 20).Select(i => store.EventLog.AppendAsync(Entry(i, "c"))));

        List<EventRecord> records = await ReadAllAsync(store.EventLog, _kind);
        Assert.Equal(records.Select(r => r.Sequence), first.Concat(second));
        Assert.True(first[^1] < other && other < second.Min());

        // From the middle of the first batch: its last entry and all of the second, in seq order, not the other kind's.
        List<EventRecord> after = [];
        await foreach (EventRecord r in store.EventLog.ReadAfterAsync(first[1], _kind))
        {
            after.Add(r);
        }

        Assert.Equal(new[] { first[2] }.Concat(second.Order()), after.Select(r => r.Sequence));
        Assert.Equal(["2", .. Enumerable.Range(3, 20).Select(i => $"{i}")], after.Select(r => Text(r.Payload)));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Appends_are_stored_in_the_order_they_were_made(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);

        // One producer issuing appends without waiting: the log must keep its issue order.
        Task[] burst = Enumerable.Range(0, 500).Select(i => store.EventLog.AppendAsync(Entry(i, "burst", $"b{i}"))).ToArray();
        await Task.WhenAll(burst);

        // Eight producers appending concurrently, each waiting for its previous append: each one's order holds.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                await store.EventLog.AppendAsync(Entry(i, $"writer{writer}"));
            }
        })));

        List<EventRecord> records = await ReadAllAsync(store.EventLog, _kind);
        Assert.Equal(500 + (8 * 50), records.Count);
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence), "sequence numbers ascend");
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"b{i}"), records.Where(r => r.Key == "burst").Select(r => Text(r.Payload)));
        for (int writer = 0; writer < 8; writer++)
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{i}"), records.Where(r => r.Key == $"writer{writer}").Select(r => Text(r.Payload)));
        }
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Range_reads_select_by_time_kind_and_key_in_sequence_order(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        string otherKind = _kind + "-report";

        // Times deliberately out of order: reads follow the sequence, not the timestamp.
        int[] minutes = [5, 1, 7, 3, 9, 0, 6, 2, 8, 4];
        foreach (int minute in minutes)
        {
            await store.EventLog.AppendAsync(new EventAppend(_t0.AddMinutes(minute), minute % 2 == 0 ? _kind : otherKind, minute < 5 ? "gauge-1" : "gauge-2", Bytes($"m{minute}")));
        }

        List<EventRecord> window = await ToListAsync(store.EventLog.ReadAsync(_t0.AddMinutes(2), _t0.AddMinutes(7)));
        List<EventRecord> windowOfKind = await ToListAsync(store.EventLog.ReadAsync(_t0.AddMinutes(2), _t0.AddMinutes(7), _kind));
        List<EventRecord> ofKindAndKey = await ToListAsync(store.EventLog.ReadAsync(_t0, _t0.AddHours(1), _kind, "gauge-2"));

        Assert.Equal(["m5", "m3", "m6", "m2", "m4"], window.Where(IsOurs).Select(r => Text(r.Payload)));
        Assert.Equal(["m6", "m2", "m4"], windowOfKind.Select(r => Text(r.Payload)));
        Assert.Equal(["m6", "m8"], ofKindAndKey.Select(r => Text(r.Payload)));
        EventRecord six = ofKindAndKey[0];
        Assert.Equal((_t0.AddMinutes(6), _kind, "gauge-2"), (six.At, six.Kind, six.Key));
        Assert.Empty(await ToListAsync(store.EventLog.ReadAsync(_t0.AddMinutes(9), _t0.AddMinutes(9), otherKind)));

        bool IsOurs(EventRecord record) => record.Kind == _kind || record.Kind == otherKind;
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Counts_cover_the_whole_log_and_each_kind(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        long totalBefore = await store.EventLog.CountAsync();

        await store.EventLog.AppendBatchAsync(Enumerable.Range(0, 30).Select(i => Entry(i, "k")).ToList());
        await store.EventLog.AppendAsync(new EventAppend(_t0, _kind + "-other", "k", Bytes("{}")));

        Assert.Equal(30, await store.EventLog.CountAsync(_kind));
        Assert.Equal(1, await store.EventLog.CountAsync(_kind + "-other"));
        Assert.Equal(0, await store.EventLog.CountAsync(_kind + "-never"));
        Assert.Equal(totalBefore + 31, await store.EventLog.CountAsync());
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task A_batch_with_an_invalid_entry_stores_none_of_it(StoreKind kind)
    {
        await using SiloStore store = await OpenAsync(kind);
        List<EventAppend> batch = Enumerable.Range(0, 10).Select(i => Entry(i, "k")).ToList();
        batch.Insert(5, new EventAppend(_t0, "bad\0kind", "k", Bytes("{}")));

        await Assert.ThrowsAsync<ArgumentException>(() => store.EventLog.AppendBatchAsync(batch));
        await store.EventLog.AppendBatchAsync(batch.Where(entry => entry.Kind == _kind).ToList());

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}"), (await ReadAllAsync(store.EventLog, _kind)).Select(r => Text(r.Payload)));
    }

    [Theory]
    [MemberData(nameof(StoreFixture.DurableKinds), MemberType = typeof(StoreFixture))]
    public async Task The_log_survives_reopening_and_later_appends_follow_earlier_ones(StoreKind kind)
    {
        StoreOptions target = await fixture.CreateTargetAsync(kind);
        await using (SiloStore first = await SiloStore.OpenAsync(target))
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => first.EventLog.AppendAsync(Entry(i, "k"))));

            // Not awaited: disposal must still commit it.
            _ = first.EventLog.AppendBatchAsync([Entry(10, "k"), Entry(11, "k")]);
        }

        await using SiloStore reopened = await SiloStore.OpenAsync(target);
        await reopened.EventLog.AppendAsync(Entry(12, "k"));

        List<EventRecord> records = await ReadAllAsync(reopened.EventLog, _kind);
        Assert.Equal(Enumerable.Range(0, 13).Select(i => $"{i}"), records.Select(r => Text(r.Payload)));
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence), "sequence numbers ascend across the reopen");
        Assert.Equal(13, await reopened.EventLog.CountAsync(_kind));
    }

    private async Task<SiloStore> OpenAsync(StoreKind kind) => await SiloStore.OpenAsync(await fixture.CreateTargetAsync(kind));

    // The payload defaults to the index, so order checks read the payloads back.
    private EventAppend Entry(int index, string key, string? payload = null) => new(_t0.AddSeconds(index), _kind, key, Bytes(payload ?? $"{index}"));

    private static Task<List<EventRecord>> ReadAllAsync(IEventLog log, string kind) => ToListAsync(log.ReadAsync(DateTimeOffset.MinValue.AddYears(2000), DateTimeOffset.MaxValue.AddYears(-2000), kind));

    private static async Task<List<EventRecord>> ToListAsync(IAsyncEnumerable<EventRecord> records)
    {
        List<EventRecord> list = new();
        await foreach (EventRecord record in records)
        {
            list.Add(record);
        }

        return list;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);
}
