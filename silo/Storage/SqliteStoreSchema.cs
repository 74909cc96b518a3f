using Microsoft.Data.Sqlite;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Creates Orleans' tables and statements in a SQLite file (silo/Sql/Sqlite) and moves the data of a CityTwin build that
/// predates Orleans (tables grain_state and reminders) into them, all in one write transaction.
/// </summary>
internal static class SqliteStoreSchema
{
    /// <summary>The columns of the pre-Orleans grain_state table.</summary>
    private static readonly string[] LegacyStateColumns = ["grain_type", "grain_id", "state_name", "payload", "version", "modified_at"];

    /// <summary>The columns of the pre-Orleans reminders table.</summary>
    private static readonly string[] LegacyReminderColumns = ["grain_type", "grain_id", "name", "start_at", "period_ticks"];

    /// <summary>Applies the schema and migrates old tables; returns what was migrated, or null when there was nothing to.</summary>
    public static StoreMigration? Apply(SqliteDataSource dataSource)
    {
        using var connection = (SqliteConnection)dataSource.OpenConnection();

        // WAL is a property of the file: readers (the state reader, the event log's range reads) run beside the writer.
        Execute(connection, null, "PRAGMA journal_mode=WAL;");

        // BEGIN IMMEDIATE takes the write lock first, so processes opening one file at once apply the schema in turn.
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, StoreScripts.Sqlite());
        StoreMigration? migration = Migrate(connection, transaction);
        transaction.Commit();
        return migration;
    }

    private static StoreMigration? Migrate(SqliteConnection connection, SqliteTransaction transaction)
    {
        bool states = IsLegacyTable(connection, transaction, "grain_state", LegacyStateColumns);
        bool reminders = IsLegacyTable(connection, transaction, "reminders", LegacyReminderColumns);
        if (!states && !reminders)
        {
            return null;
        }

        // Orleans' hashes as SQL functions of this connection, so each table moves in one INSERT ... SELECT.
        connection.CreateFunction("citytwin_grain_id_hash", static (string grainType, string grainId) =>
            OrleansStorageKeys.GrainIdHash(OrleansStorageKeys.QualifiedKey(grainType, grainId)), isDeterministic: true);
        connection.CreateFunction("citytwin_state_name_hash", static (string stateName) => OrleansStorageKeys.GrainTypeHash(stateName), isDeterministic: true);
        connection.CreateFunction("citytwin_reminder_hash", static (string grainType, string grainId) =>
            OrleansStorageKeys.ReminderGrainHash(grainType, grainId), isDeterministic: true);

        long copiedStates = 0, skippedStates = 0, copiedReminders = 0, skippedReminders = 0;
        List<string> renamed = new();
        if (states)
        {
            // A state already in OrleansStorage (written by this build) is newer than the old row: the unique key keeps it.
            long total = Count(connection, transaction, "grain_state");
            copiedStates = Execute(
                connection,
                transaction,
                """
                INSERT INTO OrleansStorage
                    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
                SELECT citytwin_grain_id_hash(grain_type, grain_id), 0, 0, citytwin_state_name_hash(state_name), state_name,
                    grain_type || '/' || grain_id, $service, payload,
                    strftime('%Y-%m-%d %H:%M:%f', modified_at / 1000000.0, 'unixepoch'),
                    CASE WHEN version BETWEEN 1 AND 2147483647 THEN version ELSE 1 END
                FROM grain_state
                WHERE true
                ON CONFLICT DO NOTHING;
                """);
            skippedStates = total - copiedStates;
            renamed.Add(Rename(connection, transaction, "grain_state"));
        }

        if (reminders)
        {
            long total = Count(connection, transaction, "reminders");

            // StartTime in the text form Microsoft.Data.Sqlite binds a DateTime in (UTC, no zone); Period in milliseconds.
            copiedReminders = Execute(
                connection,
                transaction,
                """
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                SELECT $service, grain_type || '/' || grain_id, name,
                    strftime('%Y-%m-%d %H:%M:%f', start_at / 1000000.0, 'unixepoch'),
                    period_ticks / 10000, citytwin_reminder_hash(grain_type, grain_id), 0
                FROM reminders
                WHERE true
                ON CONFLICT (ServiceId, GrainId, ReminderName) DO NOTHING;
                """);
            skippedReminders = total - copiedReminders;
            renamed.Add(Rename(connection, transaction, "reminders"));
        }

        return new StoreMigration(copiedStates, skippedStates, copiedReminders, skippedReminders, renamed);
    }

    // See LegacyTable.Matches: true for the old layout, false for no table, refused for another layout.
    private static bool IsLegacyTable(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        HashSet<string> found = new(StringComparer.Ordinal);
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                found.Add(reader.GetString(0));
            }
        }

        return LegacyTable.Matches(table, columns, found, "file");
    }

    // Keeps the old table as a backup under a free name; an old build started on this file again finds no table of its
    // own and would start empty, so the backup name says what happened.
    private static string Rename(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        for (int attempt = 1; ; attempt++)
        {
            string name = attempt == 1 ? $"{table}_before_orleans" : $"{table}_before_orleans_{attempt}";
            using SqliteCommand exists = connection.CreateCommand();
            exists.Transaction = transaction;
            exists.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = $name";
            exists.Parameters.AddWithValue("$name", name);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                Execute(connection, transaction, $"ALTER TABLE {table} RENAME TO {name};");
                return name;
            }
        }
    }

    private static long Count(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (sql.Contains("$service", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$service", SiloStore.ServiceId);
        }

        return command.ExecuteNonQuery();
    }
}
