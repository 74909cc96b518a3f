using CityTwin.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Reminders;

/// <summary>Reminders in a SQLite file; one statement per call, since reminders change rarely.</summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string SchemaSql = """
        -- Durable reminders (Orleans' reminder table). Design choices:
        --  * keyed by grain type, grain id and reminder name: registering again replaces the schedule.
        --  * start_at is UTC unix microseconds and period is TimeSpan ticks, both INTEGER, so a schedule
        --    round-trips exactly (apart from start_at's sub-microsecond part, as in PostgreSQL).
        --  * no index beyond the key: a silo reads the whole table once at start.
        CREATE TABLE IF NOT EXISTS reminders (
            grain_type   TEXT    NOT NULL,
            grain_id     TEXT    NOT NULL,
            name         TEXT    NOT NULL,
            start_at     INTEGER NOT NULL,
            period_ticks INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_id, name)
        );
        """;

    private readonly string _connectionString;

    /// <summary>Creates the table over <paramref name="connectionString"/> (a Microsoft.Data.Sqlite connection string).</summary>
    public SqliteReminderTable(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        SqliteConnections.Execute(_connectionString, SchemaSql);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO reminders (grain_type, grain_id, name, start_at, period_ticks) VALUES ($type, $id, $name, $start, $period)
            ON CONFLICT (grain_type, grain_id, name) DO UPDATE SET start_at = excluded.start_at, period_ticks = excluded.period_ticks
            """;
        command.Parameters.AddWithValue("$type", entry.GrainType);
        command.Parameters.AddWithValue("$id", entry.GrainId);
        command.Parameters.AddWithValue("$name", entry.Name);
        command.Parameters.AddWithValue("$start", SqliteConnections.ToUnixMicros(entry.StartAt));
        command.Parameters.AddWithValue("$period", entry.Period.Ticks);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string grainType, string grainId, string name, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE grain_type = $type AND grain_id = $id AND name = $name";
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$id", grainId);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = SqliteConnections.Open(_connectionString);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_id, name, start_at, period_ticks FROM reminders ORDER BY grain_type, grain_id, name";
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        List<ReminderEntry> entries = new();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteConnections.FromUnixMicros(reader.GetInt64(3)), TimeSpan.FromTicks(reader.GetInt64(4))));
        }

        return entries;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        SqliteConnections.ReleasePool(_connectionString);
        return ValueTask.CompletedTask;
    }
}
