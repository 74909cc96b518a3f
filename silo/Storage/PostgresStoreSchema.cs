using Npgsql;
using NpgsqlTypes;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Creates Orleans' tables and statements in PostgreSQL (silo/Sql/PostgreSQL) and moves the data of a CityTwin build
/// that predates Orleans (tables grain_state and reminders) into them, all in the schema transaction.
/// </summary>
internal static class PostgresStoreSchema
{
    /// <summary>The columns of the pre-Orleans grain_state table.</summary>
    private static readonly string[] LegacyStateColumns = ["grain_type", "grain_id", "state_name", "payload", "version", "modified_at"];

    /// <summary>The columns of the pre-Orleans reminders table.</summary>
    private static readonly string[] LegacyReminderColumns = ["grain_type", "grain_id", "name", "start_at", "period_ticks"];

    /// <summary>Applies the schema and migrates old tables; returns what was migrated, or null when there was nothing to.</summary>
    public static async Task<StoreMigration?> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        StoreMigration? migration = null;
        await PostgresSchema.ApplyAsync(
            dataSource,
            StoreScripts.PostgreSql(),
            async (connection, transaction, token) => migration = await MigrateAsync(dataSource, connection, transaction, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return migration;
    }

    private static async Task<StoreMigration?> MigrateAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        bool states = await IsLegacyTableAsync(connection, transaction, "grain_state", LegacyStateColumns, cancellationToken).ConfigureAwait(false);
        bool reminders = await IsLegacyTableAsync(connection, transaction, "reminders", LegacyReminderColumns, cancellationToken).ConfigureAwait(false);
        if (!states && !reminders)
        {
            return null;
        }

        long copiedStates = 0, skippedStates = 0, copiedReminders = 0, skippedReminders = 0;
        List<string> renamed = new();
        if (states)
        {
            (copiedStates, skippedStates) = await MigrateStatesAsync(dataSource, connection, transaction, cancellationToken).ConfigureAwait(false);
            renamed.Add(await RenameAsync(connection, transaction, "grain_state", cancellationToken).ConfigureAwait(false));
        }

        if (reminders)
        {
            (copiedReminders, skippedReminders) = await MigrateRemindersAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            renamed.Add(await RenameAsync(connection, transaction, "reminders", cancellationToken).ConfigureAwait(false));
        }

        return new StoreMigration(copiedStates, skippedStates, copiedReminders, skippedReminders, renamed);
    }

    // See LegacyTable.Matches: true for the old layout, false for no table, refused for another layout.
    private static async Task<bool> IsLegacyTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string[] columns, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = new(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        HashSet<string> found = new(StringComparer.Ordinal);
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(reader.GetString(0));
            }
        }

        return LegacyTable.Matches(table, columns, found, "database");
    }

    private static async Task<(long Copied, long Skipped)> MigrateStatesAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (NpgsqlCommand create = new(
            "CREATE TEMP TABLE citytwin_legacy_keys (grain_type text NOT NULL, grain_id text NOT NULL, state_name text NOT NULL, "
            + "grain_id_hash integer NOT NULL, grain_type_hash integer NOT NULL) ON COMMIT DROP",
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Orleans' hashes are computed here, not in SQL: the keys stream from a second connection (the old table is not
        // touched by this transaction until the rename, and other silos wait on the schema lock) into a binary COPY,
        // and the payloads are then copied inside the server without passing through this process.
        long total = 0;
        Dictionary<string, int> typeHashes = new(StringComparer.Ordinal);
        await using (NpgsqlConnection source = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (NpgsqlCommand select = new("SELECT grain_type, grain_id, state_name FROM grain_state", source))
        await using (NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        await using (NpgsqlBinaryImporter import = await connection.BeginBinaryImportAsync(
            "COPY citytwin_legacy_keys (grain_type, grain_id, state_name, grain_id_hash, grain_type_hash) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string grainType = reader.GetString(0);
                string grainId = reader.GetString(1);
                string stateName = reader.GetString(2);
                if (!typeHashes.TryGetValue(stateName, out int typeHash))
                {
                    typeHash = OrleansStorageKeys.GrainTypeHash(stateName);
                    typeHashes.Add(stateName, typeHash);
                }

                await import.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(grainType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(grainId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(stateName, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(OrleansStorageKeys.GrainIdHash(OrleansStorageKeys.QualifiedKey(grainType, grainId)), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await import.WriteAsync(typeHash, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                total++;
            }

            await import.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // A state already in OrleansStorage (written by this build) is newer than the old row: the unique key keeps it.
        // Versions restart nowhere: the old version is the ETag, which fits Orleans' integer unless it grew past it.
        await using NpgsqlCommand copy = new(
            """
            INSERT INTO OrleansStorage
                (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            SELECT k.grain_id_hash, 0, 0, k.grain_type_hash, k.state_name, k.grain_type || '/' || k.grain_id, $1, s.payload,
                s.modified_at AT TIME ZONE 'utc',
                CASE WHEN s.version BETWEEN 1 AND 2147483647 THEN s.version::integer ELSE 1 END
            FROM citytwin_legacy_keys AS k
            JOIN grain_state AS s ON s.grain_type = k.grain_type AND s.grain_id = k.grain_id AND s.state_name = k.state_name
            ON CONFLICT DO NOTHING
            """,
            connection,
            transaction);
        copy.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SiloStore.ServiceId });
        long copied = await copy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (copied, total - copied);
    }

    private static async Task<(long Copied, long Skipped)> MigrateRemindersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Reminders are few (one per open case or polling grain), so they are read into memory and inserted one by one.
        List<(string GrainType, string GrainId, string Name, DateTime StartAt, long PeriodTicks)> rows = new();
        await using (NpgsqlCommand select = new("SELECT grain_type, grain_id, name, start_at, period_ticks FROM reminders", connection, transaction))
        await using (NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3), reader.GetInt64(4)));
            }
        }

        long copied = 0;
        await using NpgsqlCommand insert = new(
            """
            INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
            VALUES ($1, $2, $3, $4, $5, $6, 0)
            ON CONFLICT (ServiceId, GrainId, ReminderName) DO NOTHING
            """,
            connection,
            transaction);
        NpgsqlParameter<string> grainId = new();
        NpgsqlParameter<string> name = new();
        NpgsqlParameter<DateTime> startAt = new() { NpgsqlDbType = NpgsqlDbType.TimestampTz };
        NpgsqlParameter<long> period = new();
        NpgsqlParameter<int> grainHash = new();
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SiloStore.ServiceId });
        insert.Parameters.Add(grainId);
        insert.Parameters.Add(name);
        insert.Parameters.Add(startAt);
        insert.Parameters.Add(period);
        insert.Parameters.Add(grainHash);
        foreach ((string type, string key, string reminder, DateTime start, long ticks) in rows)
        {
            grainId.TypedValue = OrleansStorageKeys.QualifiedKey(type, key);
            name.TypedValue = reminder;
            startAt.TypedValue = DateTime.SpecifyKind(start, DateTimeKind.Utc);
            period.TypedValue = ticks / TimeSpan.TicksPerMillisecond;
            grainHash.TypedValue = OrleansStorageKeys.ReminderGrainHash(type, key);
            copied += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (copied, rows.Count - copied);
    }

    // Keeps the old table as a backup under a free name; an old build started on this database again fails to create
    // its tables instead of writing beside the migrated data.
    private static async Task<string> RenameAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            string name = attempt == 1 ? $"{table}_before_orleans" : $"{table}_before_orleans_{attempt}";
            await using NpgsqlCommand exists = new("SELECT to_regclass($1) IS NOT NULL", connection, transaction);
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                continue;
            }

            await using NpgsqlCommand rename = new($"ALTER TABLE {table} RENAME TO {name}", connection, transaction);
            await rename.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return name;
        }
    }
}
