using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Storage;

/// <summary>
/// The SQLite connections Orleans' ADO.NET providers use (passed as their DataSource): each opened connection gets
/// synchronous=NORMAL and busy_timeout=10000, which a Microsoft.Data.Sqlite connection string cannot set. WAL is a
/// property of the file, set once when the store opens.
/// </summary>
internal sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    // synchronous=NORMAL in WAL mode stays durable against process crashes and only risks the last commits on power
    // loss, instead of an fsync per grain write; busy_timeout makes the providers and the event log, which share the
    // file, wait for each other's write lock instead of failing with SQLITE_BUSY.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    /// <inheritdoc />
    public override string ConnectionString { get; } = connectionString;

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            using SqliteCommand pragma = connection.CreateCommand();
            pragma.CommandText = Pragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite opens and executes synchronously anyway.
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(OpenDbConnection());
    }

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand(string? commandText = null) =>
        throw new NotSupportedException("Open a connection from the data source and create commands on it.");

    /// <inheritdoc />
    protected override DbBatch CreateDbBatch() =>
        throw new NotSupportedException("Open a connection from the data source and create commands on it.");
}
