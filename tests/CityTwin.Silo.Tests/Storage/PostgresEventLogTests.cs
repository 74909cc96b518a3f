using System.Text;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using CityTwin.TestSupport;
using Npgsql;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>What the PostgreSQL event log adds to the common contract: data of the earlier layout, and several writers on one database.</summary>
public sealed class PostgresEventLogTests
{
    private static readonly DateTimeOffset _t0 = new(2024, 7, 1, 8, 0, 0, TimeSpan.Zero);

    // The layout event_log had before seq was numbered by the appending process (an identity primary key).
    private const string EarlierLayoutSql = """
        CREATE TABLE event_log (
            seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at      timestamptz NOT NULL,
            kind    text        NOT NULL,
            key     text        NOT NULL,
            payload bytea       NOT NULL
        );
        CREATE INDEX event_log_at_brin ON event_log USING brin (at);
        CREATE INDEX event_log_key_at ON event_log (key, at);
        INSERT INTO event_log (at, kind, key, payload)
        SELECT timestamptz '2024-07-01 08:00:00+00' + n * interval '1 second', 'reading', 'gauge-' || (n % 2), convert_to('old' || n, 'UTF8')
        FROM generate_series(0, 4) AS n;
        """;

    [Fact]
    public async Task A_log_of_the_earlier_layout_keeps_its_records_and_later_appends_follow_them()
    {
        await using PostgresDatabase database = await PostgresDatabase.CreateAsync();
        await using (NpgsqlConnection connection = new(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using NpgsqlCommand command = new(EarlierLayoutSql, connection);
            await command.ExecuteNonQueryAsync();
        }

        StoreOptions target = new() { Kind = StoreKind.Postgres, ConnectionString = database.ConnectionString };
        await using (SiloStore upgraded = await SiloStore.OpenAsync(target))
        {
            await upgraded.EventLog.AppendBatchAsync([Entry(5, "gauge-1", "new5"), Entry(6, "gauge-0", "new6")]);
        }

        // A second start finds the log already migrated and keeps numbering after everything stored.
        await using SiloStore reopened = await SiloStore.OpenAsync(target);
        await reopened.EventLog.AppendAsync(Entry(7, "gauge-1", "new7"));

        List<EventRecord> all = await ToListAsync(reopened.EventLog.ReadAsync(_t0, _t0.AddHours(1)));
        Assert.Equal(["old0", "old1", "old2", "old3", "old4", "new5", "new6", "new7"], all.Select(Text));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], all.Take(5).Select(r => r.Sequence));
        Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence), "sequence numbers ascend across the upgrade");

        List<EventRecord> history = await ToListAsync(reopened.EventLog.ReadAsync(_t0, _t0.AddHours(1), "reading", "gauge-1"));
        Assert.Equal(["old1", "old3", "new5", "new7"], history.Select(Text));
        Assert.Equal(8, await reopened.EventLog.CountAsync());
    }

    [Fact]
    public async Task Two_stores_appending_to_one_database_never_share_a_sequence_number_and_each_keeps_its_order()
    {
        await using PostgresDatabase database = await PostgresDatabase.CreateAsync();
        StoreOptions target = new() { Kind = StoreKind.Postgres, ConnectionString = database.ConnectionString };
        await using SiloStore first = await SiloStore.OpenAsync(target);
        await using SiloStore second = await SiloStore.OpenAsync(target);

        // Each store gets bursts of batches without waiting between them, so its two writer connections commit side
        // by side, while the other store does the same.
        await Task.WhenAll(AppendBurstsAsync(first, "first"), AppendBurstsAsync(second, "second"));

        List<EventRecord> all = await ToListAsync(first.EventLog.ReadAsync(_t0, _t0.AddHours(1)));
        Assert.Equal(2 * 20 * 100, all.Count);
        Assert.Equal(all.Count, all.Select(r => r.Sequence).Distinct().Count());
        foreach (string store in new[] { "first", "second" })
        {
            Assert.Equal(Enumerable.Range(0, 20 * 100).Select(i => $"{i}"), all.Where(r => r.Key == store).Select(Text));
        }
    }

    // The cluster's replay mark takes a silo that has logged no reading at the highest seq it numbered other entries with:
    // its next reading comes from the lease it holds, below the leases other silos took since, so "below every untaken
    // lease" would be too high for it and its reading would be taken for applied.
    [Fact]
    public async Task A_store_knows_the_highest_seq_it_numbered_and_numbers_its_next_entry_above_it_in_its_own_older_lease()
    {
        await using PostgresDatabase database = await PostgresDatabase.CreateAsync();
        StoreOptions target = new() { Kind = StoreKind.Postgres, ConnectionString = database.ConnectionString };
        await using SiloStore first = await SiloStore.OpenAsync(target);
        await using SiloStore second = await SiloStore.OpenAsync(target);
        var firstLog = (PostgresEventLog)first.EventLog;
        var secondLog = (PostgresEventLog)second.EventLog;
        Assert.Null(firstLog.HighestNumbered);

        long[] early = await firstLog.AppendBatchAsync([Entry(0, "case", "opened"), Entry(1, "case", "verified")]);
        long later = await secondLog.AppendAsync(Entry(2, "case", "elsewhere"));
        Assert.Equal(early.Max(), firstLog.HighestNumbered);
        Assert.Equal(later, secondLog.HighestNumbered);

        long untaken = await firstLog.BelowUntakenLeasesAsync();
        long next = await firstLog.AppendAsync(Entry(3, "reading", "s0"));
        Assert.True(next > early.Max(), $"next {next}, highest numbered before it {early.Max()}");
        Assert.True(next <= untaken, $"next {next} is in the first store's own lease, below the untaken ones ({untaken})");
        Assert.Equal(next, firstLog.HighestNumbered);
    }

    private static async Task AppendBurstsAsync(SiloStore store, string key)
    {
        for (int burst = 0; burst < 2; burst++)
        {
            await Task.WhenAll(Enumerable.Range(burst * 10, 10).Select(batch => store.EventLog.AppendBatchAsync(
                Enumerable.Range(batch * 100, 100).Select(i => Entry(i % 3600, key, $"{i}")).ToList())));
        }
    }

    private static EventAppend Entry(int second, string key, string payload) => new(_t0.AddSeconds(second), "reading", key, Encoding.UTF8.GetBytes(payload));

    private static string Text(EventRecord record) => Encoding.UTF8.GetString(record.Payload);

    private static async Task<List<EventRecord>> ToListAsync(IAsyncEnumerable<EventRecord> records)
    {
        List<EventRecord> list = new();
        await foreach (EventRecord record in records)
        {
            list.Add(record);
        }

        return list;
    }
}
