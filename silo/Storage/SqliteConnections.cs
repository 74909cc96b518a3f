using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Storage;

/// <summary>Opens SQLite connections configured the same way for every provider sharing a database file.</summary>
internal static class SqliteConnections
{
    /// <summary>Opens a connection with WAL, synchronous=NORMAL and a busy timeout; a writer also gets a larger page cache.</summary>
    public static SqliteConnection Open(string connectionString, bool writer = false)
    {
        SqliteConnection connection = new(connectionString);
        try
        {
            connection.Open();

            // WAL lets readers run beside the single writer; synchronous=NORMAL in WAL mode is still durable
            // against process crashes and only risks the last commits on power loss, the trade Orleans
            // users accept for batched writes. busy_timeout makes the grain-state and event-log writers,
            // which share the file, wait for each other instead of failing with SQLITE_BUSY.
            using SqliteCommand pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
            pragma.ExecuteNonQuery();
            if (writer)
            {
                // Batches of thousands of rows touch many index pages; SQLite's 2 MB default cache would
                // re-read them from the OS on every batch. The cache grows only as far as it is used.
                pragma.CommandText = "PRAGMA cache_size=-65536;";
                pragma.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs a schema script (idempotent DDL) on its own connection.</summary>
    public static void Execute(string connectionString, string sql)
    {
        using SqliteConnection connection = Open(connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Releases pooled connections to the file so it can be moved or deleted after disposal.</summary>
    public static void ReleasePool(string connectionString)
    {
        using SqliteConnection connection = new(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Unix microseconds, the precision PostgreSQL's timestamptz keeps, so both stores round-trip the same values.</summary>
    public static long ToUnixMicros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>Inverse of <see cref="ToUnixMicros"/>, in UTC.</summary>
    public static DateTimeOffset FromUnixMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
