using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Batched grain-state reads and writes on SQLite: a read batch runs one prepared statement per key on one connection
/// (silo/Sql/Sqlite/BatchRead.sql); a write batch runs prepared statements (BatchUpdate.sql, BatchInsert.sql) in one
/// transaction on the single writer connection, so it costs one commit. SQLite has one writer per file: one write shard.
/// </summary>
internal sealed class SqliteStateBatches : StateBatches
{
    private static readonly string ReadSql = StoreScripts.Statement(StoreScripts.SqliteVendor, "BatchRead");
    private static readonly string UpdateSql = StoreScripts.Statement(StoreScripts.SqliteVendor, "BatchUpdate");
    private static readonly string InsertSql = StoreScripts.Statement(StoreScripts.SqliteVendor, "BatchInsert");

    private readonly SqliteDataSource _dataSource;
    private readonly string _serviceId;

    // Used by the one writer loop only, so they need no locking; opened on the first batch, reopened after a failed one.
    private SqliteConnection? _writer;
    private SqliteCommand? _update;
    private SqliteCommand? _insert;

    /// <summary>Starts the queues over <paramref name="dataSource"/>, which the caller owns, for rows of <paramref name="serviceId"/>.</summary>
    public SqliteStateBatches(SqliteDataSource dataSource, string serviceId)
        : base("sqlite grain storage", readLoops: 2, writeShards: 1, maxReadBatch: 2_000, maxWriteBatch: 2_000)
    {
        _dataSource = dataSource;
        _serviceId = serviceId;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        CloseWriter();
    }

    /// <inheritdoc />
    internal override Task CommitReadsAsync(List<PendingRead> batch)
    {
        StoredStateRow?[] found = new StoredStateRow?[batch.Count];
        using (SqliteConnection connection = (SqliteConnection)_dataSource.OpenConnection())
        using (SqliteCommand command = CreateCommand(connection, ReadSql, withPayload: false))
        {
            for (int i = 0; i < batch.Count; i++)
            {
                SetKey(command, batch[i].Key);
                using SqliteDataReader reader = command.ExecuteReader();
                if (reader.Read())
                {
                    found[i] = new StoredStateRow(reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0), reader.IsDBNull(1) ? null : reader.GetInt32(1));
                }
            }
        }

        Statistics.RecordReadBatch(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(found[i]);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    internal override Task CommitWritesAsync(List<PendingWrite> batch)
    {
        long started = Stopwatch.GetTimestamp();
        int?[] versions = new int?[batch.Count];
        try
        {
            if (_writer is null)
            {
                _writer = SqliteConnections.Open(_dataSource.ConnectionString, writer: true);
                _update = CreateCommand(_writer, UpdateSql, withPayload: true);
                _update.Parameters.Add("@GrainStateVersion", SqliteType.Integer);
                _insert = CreateCommand(_writer, InsertSql, withPayload: true);
            }

            // BEGIN IMMEDIATE: the batch takes the write lock up front (waiting out the event log's writer within the
            // busy timeout) rather than failing to upgrade a read lock halfway.
            using SqliteTransaction transaction = _writer.BeginTransaction(deferred: false);
            _update!.Transaction = transaction;
            _insert!.Transaction = transaction;

            // In queue order, so two writes of one key see each other as if committed one after the other.
            for (int i = 0; i < batch.Count; i++)
            {
                PendingWrite write = batch[i];
                SqliteCommand command = write.ExpectedVersion is null ? _insert : _update;
                SetKey(command, write.Key);
                command.Parameters["@PayloadBinary"].Value = write.Payload;
                if (write.ExpectedVersion is int expected)
                {
                    command.Parameters["@GrainStateVersion"].Value = expected;
                }

                versions[i] = command.ExecuteScalar() is long version ? checked((int)version) : null;
            }

            transaction.Commit();
        }
        catch
        {
            // A failed transaction may leave the connection unusable; the next batch opens a new one.
            CloseWriter();
            throw;
        }

        Statistics.RecordBatch(batch.Count, Stopwatch.GetElapsedTime(started));
        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(versions[i]);
        }

        return Task.CompletedTask;
    }

    // Microsoft.Data.Sqlite prepares a command's statement on its first run and reuses it while the command lives.
    private SqliteCommand CreateCommand(SqliteConnection connection, string sql, bool withPayload)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("@GrainIdHash", SqliteType.Integer);
        command.Parameters.Add("@GrainTypeHash", SqliteType.Integer);
        command.Parameters.Add("@GrainTypeString", SqliteType.Text);
        command.Parameters.Add("@GrainIdExtensionString", SqliteType.Text);
        command.Parameters.AddWithValue("@ServiceId", _serviceId);
        if (withPayload)
        {
            command.Parameters.Add("@PayloadBinary", SqliteType.Blob);
        }

        return command;
    }

    private static void SetKey(SqliteCommand command, StateRowKey key)
    {
        command.Parameters["@GrainIdHash"].Value = key.GrainIdHash;
        command.Parameters["@GrainTypeHash"].Value = key.GrainTypeHash;
        command.Parameters["@GrainTypeString"].Value = key.GrainTypeString;
        command.Parameters["@GrainIdExtensionString"].Value = key.GrainIdExtensionString;
    }

    private void CloseWriter()
    {
        _update?.Dispose();
        _insert?.Dispose();
        _writer?.Dispose();
        (_update, _insert, _writer) = (null, null, null);
    }
}
