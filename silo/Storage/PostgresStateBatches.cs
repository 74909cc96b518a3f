using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Batched grain-state reads and writes on PostgreSQL: each batch is one statement over arrays (silo/Sql/PostgreSQL/
/// BatchRead.sql, BatchWrite.sql) on a pooled connection, with two read loops and two write shards side by side.
/// </summary>
internal sealed class PostgresStateBatches : StateBatches
{
    // OrleansStorage's key columns are varchar(512), and PostgreSQL text cannot hold NUL: either would fail the statement,
    // and so every write in it.
    private const int MaxKeyLength = 512;

    private static readonly string ReadSql = StoreScripts.Statement(StoreScripts.PostgreSqlVendor, "BatchRead");
    private static readonly string WriteSql = StoreScripts.Statement(StoreScripts.PostgreSqlVendor, "BatchWrite");

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;

    /// <summary>Starts the queues over <paramref name="dataSource"/>, which the caller owns, for rows of <paramref name="serviceId"/>.</summary>
    public PostgresStateBatches(NpgsqlDataSource dataSource, string serviceId)
        : base("postgres grain storage", readLoops: 2, writeShards: 2, maxReadBatch: 2_000, maxWriteBatch: 1_000)
    {
        _dataSource = dataSource;
        _serviceId = serviceId;
    }

    /// <inheritdoc />
    internal override async Task CommitReadsAsync(List<PendingRead> batch)
    {
        StoredStateRow?[] found = new StoredStateRow?[batch.Count];
        await using (NpgsqlCommand command = _dataSource.CreateCommand(ReadSql))
        {
            AddKeys(command.Parameters, batch.Select(static read => read.Key), batch.Count);
            command.Parameters.Add(new NpgsqlParameter<string>("ServiceId", _serviceId));
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                byte[]? payload = reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1);
                int? version = reader.IsDBNull(2) ? null : reader.GetInt32(2);
                found[reader.GetInt64(0) - 1] = new StoredStateRow(payload, version);
            }
        }

        Statistics.RecordReadBatch(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(found[i]);
        }
    }

    /// <inheritdoc />
    internal override async Task CommitWritesAsync(List<PendingWrite> batch)
    {
        // One statement cannot write a row twice, so a second write of one key (a grain writing again before its first
        // write returned) goes into a later statement, in queue order.
        foreach (List<PendingWrite> round in SplitIntoRounds(batch))
        {
            await WriteRoundAsync(round).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void Validate(StateRowKey key)
    {
        ValidateText(key.GrainIdExtensionString, "grain id");
        ValidateText(key.GrainTypeString, "state name");
    }

    private static void ValidateText(string value, string what)
    {
        if (value.Length > MaxKeyLength)
        {
            throw new ArgumentException($"The {what} '{value[..40]}...' is longer than the {MaxKeyLength} characters PostgreSQL's OrleansStorage holds.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{value.Replace('\0', '?')}' contains a NUL character, which PostgreSQL text cannot store.");
        }
    }

    private async Task WriteRoundAsync(List<PendingWrite> round)
    {
        long started = Stopwatch.GetTimestamp();
        int?[] versions = new int?[round.Count];
        await using (NpgsqlCommand command = _dataSource.CreateCommand(WriteSql))
        {
            AddKeys(command.Parameters, round.Select(static write => write.Key), round.Count);
            command.Parameters.Add(new NpgsqlParameter<byte[][]>("PayloadBinary", round.Select(static write => write.Payload).ToArray())
            {
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea,
            });
            command.Parameters.Add(new NpgsqlParameter<int?[]>("GrainStateVersion", round.Select(static write => write.ExpectedVersion).ToArray())
            {
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer,
            });
            command.Parameters.Add(new NpgsqlParameter<string>("ServiceId", _serviceId));
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                versions[reader.GetInt64(0) - 1] = reader.GetInt32(1);
            }
        }

        // Settled only now: the statement's implicit transaction has committed once its reader is closed, and a failed
        // commit throws before any write is acknowledged.
        Statistics.RecordBatch(round.Count, Stopwatch.GetElapsedTime(started));
        for (int i = 0; i < round.Count; i++)
        {
            round[i].Completion.TrySetResult(versions[i]);
        }
    }

    private static List<List<PendingWrite>> SplitIntoRounds(List<PendingWrite> batch)
    {
        List<List<PendingWrite>> rounds = [new List<PendingWrite>(batch.Count)];
        Dictionary<StateRowKey, int> occurrences = new(batch.Count);
        foreach (PendingWrite write in batch)
        {
            ref int seen = ref CollectionsMarshal.GetValueRefOrAddDefault(occurrences, write.Key, out _);
            if (seen == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[seen].Add(write);
            seen++;
        }

        return rounds;
    }

    private static void AddKeys(NpgsqlParameterCollection parameters, IEnumerable<StateRowKey> keys, int count)
    {
        int[] idHashes = new int[count];
        int[] typeHashes = new int[count];
        string[] ids = new string[count];
        string[] types = new string[count];
        int i = 0;
        foreach (StateRowKey key in keys)
        {
            (idHashes[i], typeHashes[i], ids[i], types[i]) = (key.GrainIdHash, key.GrainTypeHash, key.GrainIdExtensionString, key.GrainTypeString);
            i++;
        }

        parameters.Add(new NpgsqlParameter<int[]>("GrainIdHash", idHashes) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int[]>("GrainTypeHash", typeHashes) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<string[]>("GrainIdExtensionString", ids) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string[]>("GrainTypeString", types) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }
}
