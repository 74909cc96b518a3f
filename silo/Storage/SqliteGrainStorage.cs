using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Grain storage in a SQLite file (the embedded default). One writer connection commits every queued write
/// in one transaction; reads use their own pooled connections, which WAL lets run beside the writer.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private const string SchemaSql = """
        -- Grain state, laid out like Orleans' ADO.NET storage: one row per grain type, grain id and state name.
        -- Design choices:
        --  * version is the optimistic-concurrency token (Orleans' ETag): a write names the version it read,
        --    0 meaning "no row"; the first write stores 1 and every write adds 1.
        --  * payload is an opaque BLOB; the grain's serializer owns its format.
        --  * modified_at is UTC unix microseconds in an INTEGER: compact, sortable, same precision as PostgreSQL.
        --  * an ordinary rowid table, so large states (case audit trails) do not bloat the key B-tree.
        --  * writes come from a single writer connection per database file (the silo's batch writer).
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type  TEXT    NOT NULL,
            grain_id    TEXT    NOT NULL,
            state_name  TEXT    NOT NULL,
            payload     BLOB    NOT NULL,
            version     INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name)
        );
        """;

    private const string KeyPredicate = "grain_type = $type AND grain_id = $id AND state_name = $name";

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly BatchWriter<PendingWrite> _writer;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private SqliteConnection? _writeConnection;
    private WriterCommands? _commands;
    private bool _initialized;

    /// <summary>Creates the provider over <paramref name="connectionString"/> (a Microsoft.Data.Sqlite connection string).</summary>
    public SqliteGrainStorage(string connectionString, TimeProvider? timeProvider = null)
    {
        _connectionString = connectionString;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _writer = new BatchWriter<PendingWrite>(
            "sqlite grain storage",
            CommitAsync,
            static (item, ex) => item.Completion.TrySetException(ex),
            static _ => 1,
            maxBatchWeight: 10_000,
            capacity: 100_000,
            Statistics);
    }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _initializeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnections.Execute(_connectionString, SchemaSql);
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT payload, version, modified_at FROM grain_state WHERE {KeyPredicate}";
        AddKey(command, key);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        Statistics.RecordRead();
        if (!reader.Read())
        {
            return null;
        }

        return new StoredGrainState((byte[])reader[0], reader.GetInt64(1), SqliteConnections.FromUnixMicros(reader.GetInt64(2)));
    }

    /// <inheritdoc />
    public async Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        EnsureInitialized();
        PendingWrite write = new(key, payload.ToArray(), expectedVersion, IsClear: false);
        await _writer.EnqueueAsync(write, cancellationToken).ConfigureAwait(false);
        return await write.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        EnsureInitialized();

        // Clears share the writer queue so they stay ordered with writes of the same key.
        PendingWrite clear = new(key, [], expectedVersion, IsClear: true);
        await _writer.EnqueueAsync(clear, cancellationToken).ConfigureAwait(false);
        await clear.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<GrainStateKey, StoredGrainState>> ReadAllAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT grain_id, state_name, payload, version, modified_at FROM grain_state WHERE grain_type = $type ORDER BY grain_id, state_name";
        command.Parameters.AddWithValue("$type", grainType);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Statistics.RecordRead();
            GrainStateKey key = new(grainType, reader.GetString(0), reader.GetString(1));
            yield return KeyValuePair.Create(key, new StoredGrainState((byte[])reader[2], reader.GetInt64(3), SqliteConnections.FromUnixMicros(reader.GetInt64(4))));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Flushes queued writes before the connection goes away.
        await _writer.DisposeAsync().ConfigureAwait(false);
        _commands?.Dispose();
        _commands = null;
        if (_writeConnection is not null)
        {
            await _writeConnection.DisposeAsync().ConfigureAwait(false);
            _writeConnection = null;
        }

        SqliteConnections.ReleasePool(_connectionString);
        _initializeLock.Dispose();
    }

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException("SqliteGrainStorage.InitializeAsync must complete before the first write.");
        }
    }

    private static void AddKey(SqliteCommand command, GrainStateKey key)
    {
        command.Parameters.AddWithValue("$type", key.GrainType);
        command.Parameters.AddWithValue("$id", key.GrainId);
        command.Parameters.AddWithValue("$name", key.StateName);
    }

    // Runs on the writer loop only, so the connection and prepared commands need no locking.
    private Task CommitAsync(List<PendingWrite> batch)
    {
        long started = Stopwatch.GetTimestamp();
        if (_writeConnection is null)
        {
            _writeConnection = SqliteConnections.Open(_connectionString, writer: true);
            _commands = new WriterCommands(_writeConnection);
        }

        WriterCommands commands = _commands!;
        long now = SqliteConnections.ToUnixMicros(_timeProvider.GetUtcNow());
        int committed = 0;
        try
        {
            using (SqliteTransaction transaction = _writeConnection.BeginTransaction())
            {
                commands.Enlist(transaction);

                // Items run in queue order inside one transaction, so two writes of one key in the same batch
                // see each other exactly as if they had been committed one after the other.
                foreach (PendingWrite item in batch)
                {
                    Apply(commands, item, now);
                    if (!item.Conflict)
                    {
                        committed++;
                    }
                }

                transaction.Commit();
            }
        }
        catch
        {
            // A failed transaction may leave the connection unusable; reopen on the next batch.
            commands.Dispose();
            _commands = null;
            _writeConnection.Dispose();
            _writeConnection = null;
            throw;
        }

        Statistics.RecordBatch(committed, Stopwatch.GetElapsedTime(started));
        foreach (PendingWrite item in batch)
        {
            if (item.Conflict)
            {
                Statistics.RecordFailure();
                item.Completion.TrySetException(new InconsistentStateException(item.Key, item.ExpectedVersion, item.StoredVersion));
            }
            else
            {
                item.Completion.TrySetResult(item.NewVersion);
            }
        }

        return Task.CompletedTask;
    }

    // Sets the item's new version (0 for a clear) or marks it as a conflict with the stored version.
    private static void Apply(WriterCommands commands, PendingWrite item, long now)
    {
        SqliteCommand command;
        if (item.IsClear)
        {
            command = commands.Delete;
        }
        else if (item.ExpectedVersion == 0)
        {
            command = commands.Insert;
        }
        else
        {
            command = commands.Update;
        }

        command.Parameters["$type"].Value = item.Key.GrainType;
        command.Parameters["$id"].Value = item.Key.GrainId;
        command.Parameters["$name"].Value = item.Key.StateName;
        if (command.Parameters.Contains("$expected"))
        {
            command.Parameters["$expected"].Value = item.ExpectedVersion;
        }

        if (!item.IsClear)
        {
            command.Parameters["$payload"].Value = item.Payload;
            command.Parameters["$now"].Value = now;
        }

        if (command.ExecuteNonQuery() == 1)
        {
            item.Conflict = false;
            item.NewVersion = item.IsClear ? 0 : item.ExpectedVersion + 1;
            return;
        }

        SqliteCommand select = commands.SelectVersion;
        select.Parameters["$type"].Value = item.Key.GrainType;
        select.Parameters["$id"].Value = item.Key.GrainId;
        select.Parameters["$name"].Value = item.Key.StateName;
        long stored = select.ExecuteScalar() is long version ? version : 0;

        // Clearing a state that does not exist, while expecting none, is a no-op rather than a conflict.
        item.Conflict = !(item.IsClear && item.ExpectedVersion == 0 && stored == 0);
        item.NewVersion = 0;
        item.StoredVersion = stored;
    }

    /// <summary>A queued write or clear and its caller's completion source.</summary>
    private sealed record PendingWrite(GrainStateKey Key, byte[] Payload, long ExpectedVersion, bool IsClear)
    {
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long NewVersion { get; set; }

        public bool Conflict { get; set; }

        public long StoredVersion { get; set; }
    }

    /// <summary>Prepared statements of the writer connection.</summary>
    private sealed class WriterCommands : IDisposable
    {
        public WriterCommands(SqliteConnection connection)
        {
            Insert = Create(connection, "INSERT INTO grain_state (grain_type, grain_id, state_name, payload, version, modified_at) VALUES ($type, $id, $name, $payload, 1, $now) ON CONFLICT DO NOTHING", withPayload: true);
            Update = Create(connection, $"UPDATE grain_state SET payload = $payload, version = version + 1, modified_at = $now WHERE {KeyPredicate} AND version = $expected", withPayload: true);
            Delete = Create(connection, $"DELETE FROM grain_state WHERE {KeyPredicate} AND version = $expected", withPayload: false);
            SelectVersion = Create(connection, $"SELECT version FROM grain_state WHERE {KeyPredicate}", withPayload: false);
        }

        public SqliteCommand Insert { get; }

        public SqliteCommand Update { get; }

        public SqliteCommand Delete { get; }

        public SqliteCommand SelectVersion { get; }

        public void Enlist(SqliteTransaction transaction)
        {
            Insert.Transaction = transaction;
            Update.Transaction = transaction;
            Delete.Transaction = transaction;
            SelectVersion.Transaction = transaction;
        }

        public void Dispose()
        {
            Insert.Dispose();
            Update.Dispose();
            Delete.Dispose();
            SelectVersion.Dispose();
        }

        private static SqliteCommand Create(SqliteConnection connection, string sql, bool withPayload)
        {
            SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add("$type", SqliteType.Text);
            command.Parameters.Add("$id", SqliteType.Text);
            command.Parameters.Add("$name", SqliteType.Text);
            if (sql.Contains("$expected", StringComparison.Ordinal))
            {
                command.Parameters.Add("$expected", SqliteType.Integer);
            }

            if (withPayload)
            {
                command.Parameters.Add("$payload", SqliteType.Blob);
                command.Parameters.Add("$now", SqliteType.Integer);
            }

            command.Prepare();
            return command;
        }
    }
}
