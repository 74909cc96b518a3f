using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Grain storage in PostgreSQL. Queued writes are committed in one transaction per batch with set-based
/// statements over arrays (UPDATE/INSERT/DELETE ... unnest), so thousands of grains cost a few round trips.
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage
{
    private const string SchemaSql = """
        -- Grain state, laid out like Orleans' ADO.NET storage: one row per grain type, grain id and state name.
        -- Design choices:
        --  * version is the optimistic-concurrency token (Orleans' ETag): a write names the version it read,
        --    0 meaning "no row"; the first write stores 1 and every write adds 1. The check lives in the
        --    WHERE clause of one set-based statement per batch, so a stale row is simply not returned.
        --  * payload is bytea; the grain's serializer owns its format.
        --  * modified_at is timestamptz, set by the server at commit (transaction time).
        --  * the primary key is the only index: every access names a full key or a grain type (its prefix).
        --  * fillfactor 75 leaves room on each page, so rewriting a state (the common write) is a HOT update
        --    that touches neither the index nor another page.
        --  * a silo's batch writer is the only writer of its grains' rows (single activation), so batches
        --    never wait on each other's row locks.
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type  text        NOT NULL,
            grain_id    text        NOT NULL,
            state_name  text        NOT NULL,
            payload     bytea       NOT NULL,
            version     bigint      NOT NULL,
            modified_at timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name)
        ) WITH (fillfactor = 75);
        """;

    private const string UpdateSql = """
        UPDATE grain_state AS s
        SET payload = u.payload, version = s.version + 1, modified_at = now()
        FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::bigint[])
            AS u(ord, grain_type, grain_id, state_name, payload, expected)
        WHERE s.grain_type = u.grain_type AND s.grain_id = u.grain_id AND s.state_name = u.state_name
          AND s.version = u.expected
        RETURNING u.ord, s.version
        """;

    // INSERT ... RETURNING cannot name the unnest row, so the returned key maps back to the pending write.
    private const string InsertSql = """
        INSERT INTO grain_state (grain_type, grain_id, state_name, payload, version, modified_at)
        SELECT u.grain_type, u.grain_id, u.state_name, u.payload, 1, now()
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS u(grain_type, grain_id, state_name, payload)
        ON CONFLICT (grain_type, grain_id, state_name) DO NOTHING
        RETURNING grain_type, grain_id, state_name
        """;

    private const string DeleteSql = """
        DELETE FROM grain_state AS s
        USING unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS u(ord, grain_type, grain_id, state_name, expected)
        WHERE s.grain_type = u.grain_type AND s.grain_id = u.grain_id AND s.state_name = u.state_name
          AND s.version = u.expected
        RETURNING u.ord
        """;

    private const string StoredVersionsSql = """
        SELECT u.ord, s.version
        FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS u(ord, grain_type, grain_id, state_name)
        JOIN grain_state AS s ON s.grain_type = u.grain_type AND s.grain_id = u.grain_id AND s.state_name = u.state_name
        """;

    private const string ReadBatchSql = """
        SELECT u.ord, s.payload, s.version, s.modified_at
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(grain_type, grain_id, state_name, ord)
        JOIN grain_state AS s ON s.grain_type = u.grain_type AND s.grain_id = u.grain_id AND s.state_name = u.state_name
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly WriterShard[] _shards;
    private readonly BatchWriter<PendingRead> _reader;
    private bool _initialized;

    /// <summary>
    /// Creates the provider over <paramref name="dataSource"/>, which the caller owns and disposes after this provider.
    /// <paramref name="writerConnections"/> batch writers run side by side, each owning the keys that hash to it.
    /// </summary>
    public PostgresGrainStorage(NpgsqlDataSource dataSource, int writerConnections = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writerConnections, 1);
        _dataSource = dataSource;
        _shards = new WriterShard[writerConnections];
        for (int i = 0; i < writerConnections; i++)
        {
            WriterShard shard = new();
            shard.Writer = new BatchWriter<PendingWrite>(
                "postgres grain storage",
                batch => CommitAsync(shard, batch),
                static (item, ex) => item.Completion.TrySetException(ex),
                static _ => 1,
                maxBatchWeight: 10_000,
                capacity: 100_000,
                Statistics);
            _shards[i] = shard;
        }

        // Reads are batched like writes: when thousands of grains activate at once (a district loading), one
        // query answers a whole batch instead of one round trip per grain; a lone read still costs one trip.
        _reader = new BatchWriter<PendingRead>(
            "postgres grain storage reads",
            ReadBatchAsync,
            static (item, ex) => item.Completion.TrySetException(ex),
            static _ => 1,
            maxBatchWeight: 2_000,
            capacity: 100_000,
            Statistics);
    }

    /// <inheritdoc />
    public string Name => "postgres";

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PostgresSchema.ApplyAsync(_dataSource, SchemaSql, cancellationToken).ConfigureAwait(false);
        _initialized = true;
    }

    /// <inheritdoc />
    public async Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        var read = new PendingRead(key);
        await _reader.EnqueueAsync(read, cancellationToken).ConfigureAwait(false);
        Statistics.RecordRead();
        return await read.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default)
    {
        Validate(key, expectedVersion);
        PendingWrite write = new(key, payload.ToArray(), expectedVersion, IsClear: false);
        await ShardOf(key).Writer.EnqueueAsync(write, cancellationToken).ConfigureAwait(false);
        return await write.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        Validate(key, expectedVersion);

        // Clears share the writer queue so they stay ordered with writes of the same key.
        PendingWrite clear = new(key, [], expectedVersion, IsClear: true);
        await ShardOf(key).Writer.EnqueueAsync(clear, cancellationToken).ConfigureAwait(false);
        await clear.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<GrainStateKey, StoredGrainState>> ReadAllAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = new(
            "SELECT grain_id, state_name, payload, version, modified_at FROM grain_state WHERE grain_type = $1 ORDER BY grain_id, state_name",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Statistics.RecordRead();
            GrainStateKey key = new(grainType, reader.GetString(0), reader.GetString(1));
            StoredGrainState state = new(reader.GetFieldValue<byte[]>(2), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4));
            yield return KeyValuePair.Create(key, state);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);

        // Flushes queued writes before the connections go away.
        foreach (WriterShard shard in _shards)
        {
            await shard.Writer.DisposeAsync().ConfigureAwait(false);
            if (shard.Connection is not null)
            {
                await shard.Connection.DisposeAsync().ConfigureAwait(false);
                shard.Connection = null;
            }
        }
    }

    // A key always maps to the same shard, so its writes stay in issue order; different keys never share
    // rows, so shards cannot conflict or deadlock with each other.
    private WriterShard ShardOf(GrainStateKey key) => _shards[(int)((uint)key.GetHashCode() % (uint)_shards.Length)];

    private void Validate(GrainStateKey key, long expectedVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (!_initialized)
        {
            throw new InvalidOperationException("PostgresGrainStorage.InitializeAsync must complete before the first write.");
        }

        // PostgreSQL text cannot hold NUL; rejecting it here keeps one bad key from failing a whole batch.
        if (key.GrainType.Contains('\0', StringComparison.Ordinal) || key.GrainId.Contains('\0', StringComparison.Ordinal) || key.StateName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Grain state key '{key}' contains a NUL character, which PostgreSQL text cannot store.", nameof(key));
        }
    }

    // Runs on the shard's writer loop only, so its connection needs no locking.
    private async Task CommitAsync(WriterShard shard, List<PendingWrite> batch)
    {
        long started = Stopwatch.GetTimestamp();
        NpgsqlConnection connection = shard.Connection ??= await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);

            // Statements of one transaction see each other's effects, so a key queued twice is applied in
            // queue order by putting its second write in a later round.
            foreach (List<PendingWrite> round in SplitIntoRounds(batch))
            {
                await ApplyRoundAsync(connection, round).ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch
        {
            // The connection may be broken; the next batch opens a fresh one from the pool.
            await connection.DisposeAsync().ConfigureAwait(false);
            shard.Connection = null;
            throw;
        }

        int committed = 0;
        foreach (PendingWrite item in batch)
        {
            if (item.Conflict)
            {
                Statistics.RecordFailure();
                item.Completion.TrySetException(new InconsistentStateException(item.Key, item.ExpectedVersion, item.StoredVersion));
            }
            else
            {
                committed++;
                item.Completion.TrySetResult(item.NewVersion);
            }
        }

        Statistics.RecordBatch(committed, Stopwatch.GetElapsedTime(started));
    }

    private static List<List<PendingWrite>> SplitIntoRounds(List<PendingWrite> batch)
    {
        List<List<PendingWrite>> rounds = [new List<PendingWrite>(batch.Count)];
        Dictionary<GrainStateKey, int> occurrences = new(batch.Count);
        foreach (PendingWrite item in batch)
        {
            ref int seen = ref CollectionsMarshal.GetValueRefOrAddDefault(occurrences, item.Key, out _);
            if (seen == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[seen].Add(item);
            seen++;
        }

        return rounds;
    }

    private static async Task ApplyRoundAsync(NpgsqlConnection connection, List<PendingWrite> round)
    {
        List<PendingWrite> updates = [];
        List<PendingWrite> inserts = [];
        List<PendingWrite> deletes = [];
        foreach (PendingWrite item in round)
        {
            item.Conflict = true;
            (item.IsClear ? deletes : item.ExpectedVersion == 0 ? inserts : updates).Add(item);
        }

        await using NpgsqlBatch batch = new(connection);
        if (updates.Count > 0)
        {
            NpgsqlBatchCommand update = new(UpdateSql);
            AddKeyArrays(update.Parameters, updates, withOrdinals: true);
            update.Parameters.Add(new NpgsqlParameter<byte[][]>
            {
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea,
                TypedValue = updates.Select(static item => item.Payload).ToArray(),
            });
            AddExpected(update, updates);
            batch.BatchCommands.Add(update);
        }

        if (inserts.Count > 0)
        {
            NpgsqlBatchCommand insert = new(InsertSql);
            AddKeyArrays(insert.Parameters, inserts, withOrdinals: false);
            insert.Parameters.Add(new NpgsqlParameter<byte[][]>
            {
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea,
                TypedValue = inserts.Select(static item => item.Payload).ToArray(),
            });
            batch.BatchCommands.Add(insert);
        }

        if (deletes.Count > 0)
        {
            NpgsqlBatchCommand delete = new(DeleteSql);
            AddKeyArrays(delete.Parameters, deletes, withOrdinals: true);
            AddExpected(delete, deletes);
            batch.BatchCommands.Add(delete);
        }

        await using (NpgsqlDataReader reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            if (updates.Count > 0)
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    PendingWrite item = updates[reader.GetInt32(0)];
                    item.Conflict = false;
                    item.NewVersion = reader.GetInt64(1);
                }

                await reader.NextResultAsync().ConfigureAwait(false);
            }

            if (inserts.Count > 0)
            {
                Dictionary<GrainStateKey, PendingWrite> byKey = inserts.ToDictionary(static item => item.Key);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    PendingWrite item = byKey[new GrainStateKey(reader.GetString(0), reader.GetString(1), reader.GetString(2))];
                    item.Conflict = false;
                    item.NewVersion = 1;
                }

                await reader.NextResultAsync().ConfigureAwait(false);
            }

            if (deletes.Count > 0)
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    PendingWrite item = deletes[reader.GetInt32(0)];
                    item.Conflict = false;
                    item.NewVersion = 0;
                }
            }
        }

        List<PendingWrite> conflicts = round.Where(static item => item.Conflict).ToList();
        if (conflicts.Count > 0)
        {
            await ResolveConflictsAsync(connection, conflicts).ConfigureAwait(false);
        }
    }

    // Only stale writes pay for this extra statement: it fetches the stored versions for their exceptions.
    private static async Task ResolveConflictsAsync(NpgsqlConnection connection, List<PendingWrite> conflicts)
    {
        foreach (PendingWrite item in conflicts)
        {
            item.StoredVersion = 0;
        }

        await using (NpgsqlCommand command = new(StoredVersionsSql, connection))
        {
            AddKeyArrays(command.Parameters, conflicts, withOrdinals: true);

            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                conflicts[reader.GetInt32(0)].StoredVersion = reader.GetInt64(1);
            }
        }

        foreach (PendingWrite item in conflicts)
        {
            // Clearing a state that does not exist, while expecting none, is a no-op rather than a conflict.
            if (item.IsClear && item.ExpectedVersion == 0 && item.StoredVersion == 0)
            {
                item.Conflict = false;
            }
        }
    }

    private static void AddKeyArrays(NpgsqlParameterCollection parameters, List<PendingWrite> items, bool withOrdinals)
    {
        int count = items.Count;
        string[] types = new string[count];
        string[] ids = new string[count];
        string[] names = new string[count];
        for (int i = 0; i < count; i++)
        {
            types[i] = items[i].Key.GrainType;
            ids[i] = items[i].Key.GrainId;
            names[i] = items[i].Key.StateName;
        }

        if (withOrdinals)
        {
            parameters.Add(new NpgsqlParameter<int[]>
            {
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer,
                TypedValue = Enumerable.Range(0, count).ToArray(),
            });
        }

        parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
        parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = ids });
        parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = names });
    }

    private static void AddExpected(NpgsqlBatchCommand command, List<PendingWrite> items)
    {
        command.Parameters.Add(new NpgsqlParameter<long[]>
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            TypedValue = items.Select(static item => item.ExpectedVersion).ToArray(),
        });
    }

    /// <summary>One batch writer and the connection it commits on.</summary>
    private sealed class WriterShard
    {
        public BatchWriter<PendingWrite> Writer { get; set; } = null!;

        public NpgsqlConnection? Connection { get; set; }
    }

    /// <summary>A queued write or clear, its outcome within the batch, and its caller's completion source.</summary>
    private async Task ReadBatchAsync(List<PendingRead> batch)
    {
        var types = new string[batch.Count];
        var ids = new string[batch.Count];
        var names = new string[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            (types[i], ids[i], names[i]) = (batch[i].Key.GrainType, batch[i].Key.GrainId, batch[i].Key.StateName);
        }

        var found = new StoredGrainState?[batch.Count];
        await using (NpgsqlCommand command = _dataSource.CreateCommand(ReadBatchSql))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                found[reader.GetInt64(0) - 1] = new StoredGrainState(reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3));
            }
        }

        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(found[i]);
        }
    }

    private sealed class PendingRead(GrainStateKey key)
    {
        public GrainStateKey Key { get; } = key;

        public TaskCompletionSource<StoredGrainState?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record PendingWrite(GrainStateKey Key, byte[] Payload, long ExpectedVersion, bool IsClear)
    {
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long NewVersion { get; set; }

        public bool Conflict { get; set; }

        public long StoredVersion { get; set; }
    }
}
