using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using CityTwin.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.EventLog;

/// <summary>
/// The event log in a SQLite file. One writer connection commits every queued append in one transaction with
/// prepared multi-row inserts; reads use their own pooled connections beside the writer (WAL).
/// </summary>
public sealed class SqliteEventLog : IEventLog
{
    private const string SchemaSql = """
        -- The append-only input log. Design choices:
        --  * seq is the rowid (INTEGER PRIMARY KEY): SQLite numbers each insert max(seq)+1, and one writer
        --    connection per log per database (the silo's batch writer) inserts in queue order, so ascending
        --    seq is append order. Rows are never deleted, so numbers are never reused.
        --  * at is UTC unix microseconds in an INTEGER (PostgreSQL's timestamptz precision), compared numerically.
        --  * payload is a BLOB of UTF-8 JSON, stored as given and never parsed by the database.
        --  * indexes: (at) for replaying a time range, (kind, key, at) for one entity's history.
        CREATE TABLE IF NOT EXISTS event_log (
            seq     INTEGER PRIMARY KEY,
            at      INTEGER NOT NULL,
            kind    TEXT    NOT NULL,
            key     TEXT    NOT NULL,
            payload BLOB    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS event_log_at ON event_log (at);
        CREATE INDEX IF NOT EXISTS event_log_kind_key_at ON event_log (kind, key, at);
        """;

    // Rows per prepared multi-row INSERT: 4 parameters each stays far below SQLite's variable limit.
    private const int RowsPerInsert = 64;

    private readonly string _connectionString;
    private readonly EventLogQueue<Row> _queue;
    private SqliteConnection? _writeConnection;
    private SqliteCommand? _multiRowInsert;
    private SqliteCommand? _singleRowInsert;

    /// <summary>Creates the log over <paramref name="connectionString"/> (a Microsoft.Data.Sqlite connection string).</summary>
    public SqliteEventLog(string connectionString)
    {
        _connectionString = connectionString;
        _queue = new EventLogQueue<Row>(
            "sqlite event log",
            static entry => new Row(SqliteConnections.ToUnixMicros(entry.At), entry.Kind, entry.Key, entry.Payload.ToArray()),
            CommitAsync,
            maxBatchRows: 20_000,
            capacity: 100_000,
            Statistics);
    }

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        SqliteConnections.Execute(_connectionString, SchemaSql);
        _queue.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(EventAppend entry, CancellationToken cancellationToken = default) => (await AppendBatchAsync([entry], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public Task<long[]> AppendBatchAsync(IReadOnlyList<EventAppend> entries, CancellationToken cancellationToken = default) => _queue.AppendAsync(entries, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? kind = null, string? key = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        StringBuilder sql = new("SELECT seq, at, kind, key, payload FROM event_log WHERE at >= $from AND at < $to");
        command.Parameters.AddWithValue("$from", SqliteConnections.ToUnixMicros(from));
        command.Parameters.AddWithValue("$to", SqliteConnections.ToUnixMicros(to));
        if (kind is not null)
        {
            sql.Append(" AND kind = $kind");
            command.Parameters.AddWithValue("$kind", kind);
        }

        if (key is not null)
        {
            sql.Append(" AND key = $key");
            command.Parameters.AddWithValue("$key", key);
        }

        command.CommandText = sql.Append(" ORDER BY seq").ToString();
        await foreach (EventRecord record in ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    private async IAsyncEnumerable<EventRecord> ReadRecordsAsync(SqliteCommand command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Statistics.RecordRead();
            yield return new EventRecord(reader.GetInt64(0), SqliteConnections.FromUnixMicros(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), (byte[])reader[4]);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAfterAsync(long afterSequence, string kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, kind, key, payload FROM event_log WHERE seq > $after AND kind = $kind ORDER BY seq";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$kind", kind);
        await foreach (EventRecord record in ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadLatestAsync(string kind, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();

        // The (kind, key, at) index finds the kind's rows (their seq is the rowid the index holds) without a table scan.
        command.CommandText = "SELECT seq, at, kind, key, payload FROM (SELECT * FROM event_log WHERE kind = $kind ORDER BY seq DESC LIMIT $count) ORDER BY seq";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$count", count);
        await foreach (EventRecord record in ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string? kind = null, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = kind is null ? "SELECT count(*) FROM event_log" : "SELECT count(*) FROM event_log WHERE kind = $kind";
        if (kind is not null)
        {
            command.Parameters.AddWithValue("$kind", kind);
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Flushes queued appends before the connection goes away.
        await _queue.DisposeAsync().ConfigureAwait(false);
        DisposeWriter();
        SqliteConnections.ReleasePool(_connectionString);
    }

    private void DisposeWriter()
    {
        _multiRowInsert?.Dispose();
        _singleRowInsert?.Dispose();
        _writeConnection?.Dispose();
        _multiRowInsert = null;
        _singleRowInsert = null;
        _writeConnection = null;
    }

    // Runs on the writer loop only, so the connection and prepared commands need no locking.
    private Task CommitAsync(List<PendingAppend<Row>> batch)
    {
        long started = Stopwatch.GetTimestamp();
        if (_writeConnection is null)
        {
            _writeConnection = SqliteConnections.Open(_connectionString, writer: true);
            _multiRowInsert = CreateInsert(_writeConnection, RowsPerInsert);
            _singleRowInsert = CreateInsert(_writeConnection, 1);
        }

        SqliteCommand multi = _multiRowInsert!;
        SqliteCommand single = _singleRowInsert!;
        int rows = 0;
        long lastSeq;
        try
        {
            using SqliteTransaction transaction = _writeConnection.BeginTransaction();
            multi.Transaction = transaction;
            single.Transaction = transaction;

            // Entries go in queue order; multi-row VALUES insert in listed order, so seq follows append order. (The
            // queue's submission numbers are not needed: this one writer inserts in queue order, which keeps each
            // caller's order.)
            List<Row> pending = new(RowsPerInsert);
            foreach (PendingAppend<Row> item in batch)
            {
                foreach (Row row in item.Rows)
                {
                    pending.Add(row);
                    if (pending.Count == RowsPerInsert)
                    {
                        Execute(multi, pending);
                        rows += pending.Count;
                        pending.Clear();
                    }
                }
            }

            foreach (Row row in pending)
            {
                Execute(single, [row]);
                rows++;
            }

            // The one writer inserts rows numbered max(seq) + 1 each, so this batch holds the last `rows` seqs.
            using (SqliteCommand last = _writeConnection.CreateCommand())
            {
                last.Transaction = transaction;
                last.CommandText = "SELECT last_insert_rowid()";
                lastSeq = (long)last.ExecuteScalar()!;
            }

            transaction.Commit();
        }
        catch
        {
            // A failed transaction may leave the connection unusable; reopen on the next batch.
            DisposeWriter();
            throw;
        }

        Statistics.RecordBatch(rows, Stopwatch.GetElapsedTime(started));
        long seq = lastSeq - rows + 1;
        foreach (PendingAppend<Row> item in batch)
        {
            long[] sequences = new long[item.Rows.Length];
            for (int i = 0; i < sequences.Length; i++)
            {
                sequences[i] = seq++;
            }

            item.Completion.TrySetResult(sequences);
        }

        return Task.CompletedTask;
    }

    private static void Execute(SqliteCommand command, List<Row> rows)
    {
        SqliteParameterCollection parameters = command.Parameters;
        for (int i = 0; i < rows.Count; i++)
        {
            parameters[(i * 4) + 0].Value = rows[i].AtMicros;
            parameters[(i * 4) + 1].Value = rows[i].Kind;
            parameters[(i * 4) + 2].Value = rows[i].Key;
            parameters[(i * 4) + 3].Value = rows[i].Payload;
        }

        command.ExecuteNonQuery();
    }

    private static SqliteCommand CreateInsert(SqliteConnection connection, int rows)
    {
        SqliteCommand command = connection.CreateCommand();
        StringBuilder sql = new("INSERT INTO event_log (at, kind, key, payload) VALUES ");
        for (int i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append($"($a{i}, $k{i}, $y{i}, $p{i})");
            command.Parameters.Add($"$a{i}", SqliteType.Integer);
            command.Parameters.Add($"$k{i}", SqliteType.Text);
            command.Parameters.Add($"$y{i}", SqliteType.Text);
            command.Parameters.Add($"$p{i}", SqliteType.Blob);
        }

        command.CommandText = sql.ToString();
        command.Prepare();
        return command;
    }

    /// <summary>An entry converted for storage.</summary>
    private readonly record struct Row(long AtMicros, string Kind, string Key, byte[] Payload);
}
