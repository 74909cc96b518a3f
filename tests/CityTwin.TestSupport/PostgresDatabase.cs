using System.Globalization;
using Npgsql;

namespace CityTwin.TestSupport;

/// <summary>
/// A fresh, uniquely named PostgreSQL database on the test server, dropped on disposal. The server comes from
/// CITYTWIN_TEST_POSTGRES; without it the test fails (PostgreSQL tests are never skipped silently).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The environment variable holding the Npgsql connection string of the test server.</summary>
    public const string EnvironmentVariable = "CITYTWIN_TEST_POSTGRES";

    /// <summary>The message of the failure when no server is configured.</summary>
    public const string MissingServerMessage =
        "PostgreSQL tests need a server: run ./test.sh (it installs and starts one) or set CITYTWIN_TEST_POSTGRES to an Npgsql connection string.";

    private readonly string _serverConnectionString;
    private int _disposed;

    private PostgresDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string for the database.</summary>
    public string ConnectionString { get; }

    /// <summary>The test server's connection string, or an exception telling how to get a server.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(MissingServerMessage);

    /// <summary>Creates a new empty database on the test server.</summary>
    public static Task<PostgresDatabase> CreateAsync() => CreateAsync(ServerConnectionString);

    /// <summary>Creates a new empty database on the server <paramref name="server"/> connects to (e.g. a <see cref="PrivatePostgresServer"/>).</summary>
    public static async Task<PostgresDatabase> CreateAsync(string server)
    {
        string name = "citytwin_test_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        await using (NpgsqlConnection connection = new(server))
        {
            await connection.OpenAsync();
            await using NpgsqlCommand command = new($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        NpgsqlConnectionStringBuilder builder = new(server) { Database = name };
        return new PostgresDatabase(server, name, builder.ConnectionString);
    }

    /// <summary>Drops the database, closing any connection still open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Idle pooled connections would otherwise be killed by FORCE and surface as errors on later use.
        await using (NpgsqlConnection pooled = new(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        // The server may have restarted since the database was created (an outage test): its pooled connections are dead.
        await using NpgsqlConnection connection = new(_serverConnectionString);
        NpgsqlConnection.ClearPool(connection);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
