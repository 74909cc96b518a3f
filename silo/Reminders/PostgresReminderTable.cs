using CityTwin.Silo.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CityTwin.Silo.Reminders;

/// <summary>Reminders in PostgreSQL; one statement per call, since reminders change rarely.</summary>
public sealed class PostgresReminderTable : IReminderTable
{
    private const string SchemaSql = """
        -- Durable reminders (Orleans' reminder table). Design choices:
        --  * keyed by grain type, grain id and reminder name: registering again replaces the schedule.
        --  * start_at is timestamptz; period is TimeSpan ticks in a bigint, exact where interval would round.
        --  * no index beyond the key: a silo reads the whole table once at start.
        CREATE TABLE IF NOT EXISTS reminders (
            grain_type   text        NOT NULL,
            grain_id     text        NOT NULL,
            name         text        NOT NULL,
            start_at     timestamptz NOT NULL,
            period_ticks bigint      NOT NULL,
            PRIMARY KEY (grain_type, grain_id, name)
        );
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the table over <paramref name="dataSource"/>, which the caller owns and disposes after this table.</summary>
    public PostgresReminderTable(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => PostgresSchema.ApplyAsync(_dataSource, SchemaSql, cancellationToken);

    /// <inheritdoc />
    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using NpgsqlCommand command = _dataSource.CreateCommand("""
            INSERT INTO reminders (grain_type, grain_id, name, start_at, period_ticks) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (grain_type, grain_id, name) DO UPDATE SET start_at = excluded.start_at, period_ticks = excluded.period_ticks
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.GrainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.GrainId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Name });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = entry.StartAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = entry.Period.Ticks });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string grainType, string grainId, string name, CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("DELETE FROM reminders WHERE grain_type = $1 AND grain_id = $2 AND name = $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand("SELECT grain_type, grain_id, name, start_at, period_ticks FROM reminders ORDER BY grain_type, grain_id, name");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        List<ReminderEntry> entries = new();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), TimeSpan.FromTicks(reader.GetInt64(4))));
        }

        return entries;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
