using Npgsql;

namespace CityTwin.Silo.Storage;

/// <summary>Applies idempotent PostgreSQL schema scripts safely when several silos start at once.</summary>
internal static class PostgresSchema
{
    // Any fixed number works; it only has to be the same for every CityTwin process sharing a database.
    private const long SchemaLockId = 0x43_69_74_79_54_77_69_6E; // "CityTwin"

    /// <summary>Runs <paramref name="sql"/> in a transaction holding a transaction-scoped advisory lock.</summary>
    public static Task ApplyAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken) =>
        ApplyAsync(dataSource, sql, then: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="sql"/>, then <paramref name="then"/> (e.g. a data migration), in one transaction holding a
    /// transaction-scoped advisory lock: either all of it is committed or none.
    /// </summary>
    public static async Task ApplyAsync(
        NpgsqlDataSource dataSource, string sql, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>? then, CancellationToken cancellationToken)
    {
        // CREATE TABLE IF NOT EXISTS is not safe against a concurrent CREATE of the same table (it can fail
        // on the pg_type unique index), so concurrent initializers queue on an advisory lock instead.
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (NpgsqlCommand command = new("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = SchemaLockId });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (NpgsqlCommand command = new(sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (then is not null)
        {
            await then(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
