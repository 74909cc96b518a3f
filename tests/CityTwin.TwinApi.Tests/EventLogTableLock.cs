using CityTwin.TestSupport;
using Npgsql;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Holds PostgreSQL's EXCLUSIVE lock on the server's <c>event_log</c> table from a connection of the test's own, so the
/// event log's writer (its COPY needs ROW EXCLUSIVE) waits in the database until the lock is released; reads go on.
/// </summary>
public sealed class EventLogTableLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _transaction;

    private EventLogTableLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Takes the lock on <paramref name="database"/>'s event log.</summary>
    public static async Task<EventLogTableLock> TakeAsync(PostgresDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE event_log IN EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new EventLogTableLock(connection, transaction);
    }

    /// <summary>Completes once another session waits for a lock on the event log: the writer has reached the database.</summary>
    public async Task WaitForBlockedWriterAsync(TimeSpan timeout)
    {
        const string Sql = """
            SELECT count(*) FROM pg_locks l
            WHERE l.relation = 'event_log'::regclass AND NOT l.granted
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """;
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var command = new NpgsqlCommand(Sql, _connection, _transaction))
            {
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no writer waited for the event log's lock within {timeout}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Releases the lock: the waiting writer's COPY goes ahead.</summary>
    public async Task ReleaseAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.CommitAsync();
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await _connection.DisposeAsync();
    }
}
