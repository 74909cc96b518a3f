using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CityTwin.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CityTwin.Silo.EventLog;

/// <summary>
/// The event log in PostgreSQL. Queued appends are written by one binary COPY per batch (one statement, so a batch
/// is committed all or none) on two writer connections side by side, so one batch's COPY overlaps the other's
/// commit; rows carry numbers given at submission, so the log keeps submission order whichever batch commits first.
/// Reads and counts use pooled connections from the data source.
/// </summary>
public sealed class PostgresEventLog : IEventLog
{
    private const string SchemaSql = """
        -- The append-only input log. Design choices:
        --  * seq is numbered by the appending process when an append is submitted, not by the database, so that
        --    ascending seq is submission order although a process commits batches on two connections side by side
        --    (one batch's COPY overlapping the other's commit). A process takes its numbers in leases from
        --    event_log_seq_lease (one nextval per lease, its increment being the lease's size), so processes
        --    sharing a database never share a number, though their rows order by lease rather than by time.
        --    Failed batches and restarts leave gaps: readers order by seq and never assume it is dense.
        --  * seq has no identity and no index: a sequence call and a unique B-tree insert per row cost throughput
        --    and serve no reader (reads select by time or key, then sort the matches by seq).
        --  * at is timestamptz (microseconds); the client's time, not the commit time, because replay and
        --    forks run in simulated time.
        --  * payload is bytea holding UTF-8 JSON rather than jsonb: the log is written far more than it is
        --    queried, and parsing every append would cost throughput to gain nothing.
        --  * indexes: BRIN on (at) for replaying a time range: rows arrive in roughly time order, so a block-range
        --    index answers range scans while costing almost nothing per append (a B-tree on at cost ~30 % of
        --    append throughput). autosummarize has autovacuum summarize each block range once it fills; without it
        --    ranges filled since the last vacuum match every query, and on an append-only table that can be the
        --    last fifth of the log (a one-minute replay of 1M rows read 0.87 s instead of 8 ms).
        --    A B-tree on (key, at) for one entity's history (kind is filtered after it, since a key names one
        --    entity). That B-tree is most of an append's cost in the database, so key is compared bytewise
        --    (COLLATE "C": equality is the same, comparisons are cheaper than the locale's) and each batch is
        --    copied in key order.
        --    A partial B-tree on seq of the 'alert' rows only (alerts the twin published, a few among many inputs),
        --    so a restarting silo reads its recent alerts without scanning the log; other rows skip it at no cost.
        --  * a table of the earlier layout (seq an identity primary key) is migrated in place: numbering
        --    continues after its highest seq, and the identity and the primary key are dropped (no rewrite);
        --    its key keeps the database's collation and its BRIN index gains autosummarize.
        CREATE TABLE IF NOT EXISTS event_log (
            seq     bigint      NOT NULL,
            at      timestamptz NOT NULL,
            kind    text        NOT NULL,
            key     text        COLLATE "C" NOT NULL,
            payload bytea       NOT NULL
        );
        CREATE SEQUENCE IF NOT EXISTS event_log_seq_lease INCREMENT BY 1000000;
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'event_log'::regclass AND attname = 'seq' AND attidentity <> '') THEN
                PERFORM setval('event_log_seq_lease', (SELECT coalesce(max(seq), 0) + 1 FROM event_log), false);
                ALTER TABLE event_log ALTER COLUMN seq DROP IDENTITY;
                ALTER TABLE event_log DROP CONSTRAINT IF EXISTS event_log_pkey;
            END IF;
        END $$;
        CREATE INDEX IF NOT EXISTS event_log_at_brin ON event_log USING brin (at) WITH (autosummarize = on);
        CREATE INDEX IF NOT EXISTS event_log_key_at ON event_log (key, at);
        CREATE INDEX IF NOT EXISTS event_log_seq_brin ON event_log USING brin (seq) WITH (autosummarize = on);
        CREATE INDEX IF NOT EXISTS event_log_alert_seq ON event_log (seq) WHERE kind = 'alert';
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = 'event_log_at_brin'::regclass AND 'autosummarize=on' = ANY (reloptions)) THEN
                ALTER INDEX event_log_at_brin SET (autosummarize = on);
            END IF;
        END $$;
        """;

    private const string CopySql = "COPY event_log (seq, at, kind, key, payload) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly EventLogQueue<EventAppend> _queue;

    // Writer connections not in use by a commit; at most one per writer loop.
    private readonly ConcurrentStack<NpgsqlConnection> _idleWriters = new();

    // Leases of seq numbers, in the order of the submission numbers they serve: _leases[i] is the first seq of
    // submissions [i * _leaseSize, (i + 1) * _leaseSize). Taken in order under the gate, so seq ascends with them.
    private readonly List<long> _leases = new();
    private readonly SemaphoreSlim _leaseGate = new(1, 1);

    // The highest seq numbered so far (HighestNumbered); TakingFirstLease while the first lease is being taken.
    private const long TakingFirstLease = -1;
    private long _highestNumbered;
    private long _leaseSize;

    /// <summary>
    /// Creates the log over <paramref name="dataSource"/>, which the caller owns and disposes after this log.
    /// <paramref name="writerConnections"/> batches commit side by side, each on its own connection.
    /// </summary>
    public PostgresEventLog(NpgsqlDataSource dataSource, int writerConnections = 2)
    {
        _dataSource = dataSource;

        // Batches are capped well below what a burst of ingest queues, so the writer loops share a burst rather than
        // the first taking all of it; a COPY of 5,000 rows already amortises its round trip and commit.
        _queue = new EventLogQueue<EventAppend>(
            "postgres event log",
            static entry => entry with { Payload = entry.Payload.ToArray() },
            CommitAsync,
            maxBatchRows: 5_000,
            capacity: 200_000,
            Statistics,
            writerConnections);
    }

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PostgresSchema.ApplyAsync(_dataSource, SchemaSql, cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT seqincrement FROM pg_sequence WHERE seqrelid = 'event_log_seq_lease'::regclass");
        _leaseSize = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        _queue.Start();
    }

    /// <summary>
    /// The highest seq this process has numbered an entry with (of any kind), or null before its first append. Every
    /// entry it appends later is numbered above it: seqs ascend in submission order, across this process's leases. While
    /// it takes its first lease (the lease's start not known yet) it is 0, which holds the cluster's mark back.
    /// </summary>
    public long? HighestNumbered => Interlocked.Read(ref _highestNumbered) switch
    {
        > 0 and long n => n,
        TakingFirstLease => 0,
        _ => null,
    };

    /// <summary>
    /// A seq below every seq any process will number from a lease it has not taken yet: leases are taken from a sequence
    /// that only rises, so every later lease starts above its newest one. What a silo that has logged nothing yet will log
    /// is above it (the cluster's replay mark never passes it for that silo).
    /// </summary>
    public async Task<long> BelowUntakenLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT last_value FROM event_log_seq_lease");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! - 1;
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(EventAppend entry, CancellationToken cancellationToken = default) => (await AppendBatchAsync([entry], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public Task<long[]> AppendBatchAsync(IReadOnlyList<EventAppend> entries, CancellationToken cancellationToken = default) => _queue.AppendAsync(entries, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? kind = null, string? key = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = new() { Connection = connection };
        StringBuilder sql = new("SELECT seq, at, kind, key, payload FROM event_log WHERE at >= $1 AND at < $2");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = to.UtcDateTime });
        if (kind is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
            sql.Append(" AND kind = $").Append(command.Parameters.Count);
        }

        if (key is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            sql.Append(" AND key = $").Append(command.Parameters.Count);
        }

        command.CommandText = sql.Append(" ORDER BY seq").ToString();
        await foreach (EventRecord record in ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAfterAsync(long afterSequence, string kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The BRIN index on seq skips the ranges of pages wholly at or below afterSequence.
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = new("SELECT seq, at, kind, key, payload FROM event_log WHERE seq > $1 AND kind = $2 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        await foreach (EventRecord record in ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadLatestAsync(string kind, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(kind);

        // The kind is a literal, not a parameter: only then can the planner use a partial index on it (event_log_alert_seq).
        string literal = "'" + kind.Replace("'", "''", StringComparison.Ordinal) + "'";
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = new(
            $"SELECT seq, at, kind, key, payload FROM (SELECT * FROM event_log WHERE kind = {literal} ORDER BY seq DESC LIMIT $1) latest ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await foreach (EventRecord record in ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    private async IAsyncEnumerable<EventRecord> ReadRecordsAsync(NpgsqlCommand command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Statistics.RecordRead();
            yield return new EventRecord(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4));
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string? kind = null, CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand(kind is null ? "SELECT count(*) FROM event_log" : "SELECT count(*) FROM event_log WHERE kind = $1");
        if (kind is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Flushes queued appends before the connections go away.
        await _queue.DisposeAsync().ConfigureAwait(false);
        while (_idleWriters.TryPop(out NpgsqlConnection? connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _leaseGate.Dispose();
    }

    // Runs on up to writerConnections loops at once; each commit holds a writer connection of its own.
    private async Task CommitAsync(List<PendingAppend<EventAppend>> batch)
    {
        long started = Stopwatch.GetTimestamp();
        long firstOrdinal = long.MaxValue;
        long lastOrdinal = long.MinValue;
        int total = 0;
        foreach (PendingAppend<EventAppend> item in batch)
        {
            total += item.Rows.Length;
            firstOrdinal = Math.Min(firstOrdinal, item.FirstOrdinal);
            lastOrdinal = Math.Max(lastOrdinal, item.FirstOrdinal + item.Rows.Length - 1);
        }

        NpgsqlConnection connection = _idleWriters.TryPop(out NpgsqlConnection? idle) ? idle : await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        NumberedEntry[] sorted = ArrayPool<NumberedEntry>.Shared.Rent(total);
        var sequences = new long[batch.Count][];
        try
        {
            long firstLease = firstOrdinal / _leaseSize;
            long[] leases = await LeasesAsync(connection, firstLease, lastOrdinal / _leaseSize).ConfigureAwait(false);

            // Rows go to COPY sorted by key: the (key, at) B-tree is most of an append's cost, and inserting into it
            // in key order keeps its pages hot (random order cost about half as much again). seq carries the
            // submission order, so the physical order is free.
            int count = 0;
            for (int b = 0; b < batch.Count; b++)
            {
                PendingAppend<EventAppend> item = batch[b];
                long[] itemSequences = sequences[b] = new long[item.Rows.Length];
                for (int i = 0; i < item.Rows.Length; i++)
                {
                    long ordinal = item.FirstOrdinal + i;
                    itemSequences[i] = leases[(ordinal / _leaseSize) - firstLease] + (ordinal % _leaseSize);
                    sorted[count++] = new NumberedEntry(itemSequences[i], item.Rows[i]);
                }
            }

            AtomicMax.Raise(ref _highestNumbered, leases[(lastOrdinal / _leaseSize) - firstLease] + (lastOrdinal % _leaseSize));

            sorted.AsSpan(0, total).Sort(NumberedEntry.ByKeyAndTime);

            // COPY is one statement in autocommit: when CompleteAsync returns, the whole batch is durable; if
            // anything fails before that, none of it is.
            await using NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync(CopySql).ConfigureAwait(false);
            for (int i = 0; i < total; i++)
            {
                // Synchronous writes only copy into Npgsql's buffer (flushing when full); the async overloads
                // would add a state machine per column for nothing on a writer loop.
                EventAppend entry = sorted[i].Entry;
                importer.StartRow();
                importer.Write(sorted[i].Sequence, NpgsqlDbType.Bigint);
                importer.Write(entry.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                importer.Write(entry.Kind, NpgsqlDbType.Text);
                importer.Write(entry.Key, NpgsqlDbType.Text);
                importer.Write(entry.Payload, NpgsqlDbType.Bytea);
            }

            await importer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The connection may be broken; a later batch opens a fresh one from the pool.
            await connection.DisposeAsync().ConfigureAwait(false);
            if (StoreOutage.Is(e))
            {
                // The server went away (stopped, restarted): every idle connection, ours and the pool's, is as dead as
                // this one and would fail one more batch each once it is back. Drop them so the next batch opens anew.
                while (_idleWriters.TryPop(out NpgsqlConnection? stale))
                {
                    await stale.DisposeAsync().ConfigureAwait(false);
                }

                _dataSource.Clear();
            }

            throw;
        }
        finally
        {
            ArrayPool<NumberedEntry>.Shared.Return(sorted, clearArray: true);
        }

        _idleWriters.Push(connection);
        Statistics.RecordBatch(total, Stopwatch.GetElapsedTime(started));
        for (int b = 0; b < batch.Count; b++)
        {
            batch[b].Completion.TrySetResult(sequences[b]);
        }
    }

    // The first seq of each lease from firstLease to lastLease, taking the missing ones in order.
    private async Task<long[]> LeasesAsync(NpgsqlConnection connection, long firstLease, long lastLease)
    {
        await _leaseGate.WaitAsync().ConfigureAwait(false);
        try
        {
            while (_leases.Count <= lastLease)
            {
                Interlocked.CompareExchange(ref _highestNumbered, TakingFirstLease, 0);
                await using NpgsqlCommand command = new("SELECT nextval('event_log_seq_lease')", connection);
                _leases.Add((long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!);
            }

            return _leases.GetRange((int)firstLease, (int)(lastLease - firstLease + 1)).ToArray();
        }
        finally
        {
            _leaseGate.Release();
        }
    }

    /// <summary>An entry with its seq, for sorting a batch before COPY.</summary>
    private readonly record struct NumberedEntry(long Sequence, EventAppend Entry)
    {
        public static readonly Comparison<NumberedEntry> ByKeyAndTime = static (x, y) =>
        {
            int byKey = string.CompareOrdinal(x.Entry.Key, y.Entry.Key);
            return byKey != 0 ? byKey : x.Entry.At.UtcTicks.CompareTo(y.Entry.At.UtcTicks);
        };
    }
}
