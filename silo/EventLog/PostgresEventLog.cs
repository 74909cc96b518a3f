using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CityTwin.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CityTwin.Silo.EventLog;

/// <summary>
/// The event log in PostgreSQL. Queued appends are written by one binary COPY per batch (one statement, so
/// a batch is committed all or none); reads and counts use pooled connections from the data source.
/// </summary>
public sealed class PostgresEventLog : IEventLog
{
    private const string SchemaSql = """
        -- The append-only input log. Design choices:
        --  * seq is an identity column that PostgreSQL fills as binary COPY inserts rows, in the order the
        --    batch writer sends them. One writer per log per database is assumed (the silo's batch writer,
        --    whose batches commit one after another), so ascending seq is append order. A second writer
        --    would still get unique numbers, but its rows could interleave with ours. A failed batch
        --    leaves a gap in seq; readers order by seq and never assume it is dense.
        --  * at is timestamptz (microseconds); the client's time, not the commit time, because replay and
        --    forks run in simulated time.
        --  * payload is bytea holding UTF-8 JSON rather than jsonb: the log is written far more than it is
        --    queried, and parsing every append would cost throughput to gain nothing.
        --  * indexes: BRIN on (at) for replaying a time range: rows arrive in roughly time order, so a block-range
        --    index answers range scans while costing almost nothing per append (a B-tree on at cost ~30 % of
        --    append throughput); a B-tree on (key, at) for one entity's history (kind is filtered after it,
        --    since a key names one entity).
        CREATE TABLE IF NOT EXISTS event_log (
            seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at      timestamptz NOT NULL,
            kind    text        NOT NULL,
            key     text        NOT NULL,
            payload bytea       NOT NULL
        );
        CREATE INDEX IF NOT EXISTS event_log_at_brin ON event_log USING brin (at);
        CREATE INDEX IF NOT EXISTS event_log_key_at ON event_log (key, at);
        """;

    private const string CopySql = "COPY event_log (at, kind, key, payload) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly BatchWriter<PendingAppend> _writer;
    private NpgsqlConnection? _writeConnection;
    private bool _initialized;

    /// <summary>Creates the log over <paramref name="dataSource"/>, which the caller owns and disposes after this log.</summary>
    public PostgresEventLog(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writer = new BatchWriter<PendingAppend>(
            "postgres event log",
            CommitAsync,
            static (item, ex) => item.Completion.TrySetException(ex),
            static item => item.Entries.Length,
            maxBatchWeight: 50_000,
            capacity: 200_000,
            Statistics);
    }

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PostgresSchema.ApplyAsync(_dataSource, SchemaSql, cancellationToken).ConfigureAwait(false);
        _initialized = true;
    }

    /// <inheritdoc />
    public Task AppendAsync(EventAppend entry, CancellationToken cancellationToken = default) => AppendBatchAsync([entry], cancellationToken);

    /// <inheritdoc />
    public async Task AppendBatchAsync(IReadOnlyList<EventAppend> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!_initialized)
        {
            throw new InvalidOperationException("PostgresEventLog.InitializeAsync must complete before the first append.");
        }

        if (entries.Count == 0)
        {
            return;
        }

        PendingAppend pending = PendingAppend.Create(entries);
        await _writer.EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Completion.Task.ConfigureAwait(false);
    }

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
        // Flushes queued appends before the connection goes away.
        await _writer.DisposeAsync().ConfigureAwait(false);
        if (_writeConnection is not null)
        {
            await _writeConnection.DisposeAsync().ConfigureAwait(false);
            _writeConnection = null;
        }
    }

    // Runs on the writer loop only, so the connection needs no locking.
    private async Task CommitAsync(List<PendingAppend> batch)
    {
        long started = Stopwatch.GetTimestamp();
        _writeConnection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        int rows = 0;
        try
        {
            // COPY is one statement in autocommit: when CompleteAsync returns, the whole batch is durable; if
            // anything fails before that, none of it is.
            await using NpgsqlBinaryImporter importer = await _writeConnection.BeginBinaryImportAsync(CopySql).ConfigureAwait(false);
            foreach (PendingAppend item in batch)
            {
                foreach (EventAppend entry in item.Entries)
                {
                    // Synchronous writes only copy into Npgsql's buffer (flushing when full); the async
                    // overloads would add a state machine per column for nothing on this dedicated loop.
                    importer.StartRow();
                    importer.Write(entry.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                    importer.Write(entry.Kind, NpgsqlDbType.Text);
                    importer.Write(entry.Key, NpgsqlDbType.Text);
                    importer.Write(entry.Payload, NpgsqlDbType.Bytea);
                    rows++;
                }
            }

            await importer.CompleteAsync().ConfigureAwait(false);
        }
        catch
        {
            // The connection may be broken; the next batch opens a fresh one from the pool.
            await _writeConnection.DisposeAsync().ConfigureAwait(false);
            _writeConnection = null;
            throw;
        }

        Statistics.RecordBatch(rows, Stopwatch.GetElapsedTime(started));
        foreach (PendingAppend item in batch)
        {
            item.Completion.TrySetResult();
        }
    }

    /// <summary>One caller's entries and the caller's completion source.</summary>
    private sealed class PendingAppend
    {
        private PendingAppend(EventAppend[] entries) => Entries = entries;

        public EventAppend[] Entries { get; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static PendingAppend Create(IReadOnlyList<EventAppend> entries)
        {
            EventAppend[] copies = new EventAppend[entries.Count];
            for (int i = 0; i < copies.Length; i++)
            {
                EventAppend entry = entries[i];
                EventLogValidation.Validate(entry);

                // Copied now: the caller's buffer is not ours to hold while the batch waits.
                copies[i] = entry with { Payload = entry.Payload.ToArray() };
            }

            return new PendingAppend(copies);
        }
    }
}
