-- CityTwin on SQLite: durable reminders for Orleans' ADO.NET reminder service (Orleans.Reminders.AdoNet).
-- Orleans ships no SQLite reminder script; Orleans.Reminders.AdoNet 10.4.2 accepts the invariant "System.Data.SQLite"
-- (served by Microsoft.Data.Sqlite), so these statements follow the PostgreSQL contract.
--
-- Design choices:
--  * OrleansRemindersTable keeps Orleans' name and columns.
--  * GrainId is Orleans' grain id string ("case/c-42"), GrainHash its uniform hash as a signed integer; a silo reads
--    the reminders of its hash range, so (ServiceId, GrainHash) is indexed. The primary key makes registering a
--    reminder again replace its schedule.
--  * StartTime is UTC text as Microsoft.Data.Sqlite binds a DateTime ('YYYY-MM-DD HH:MM:SS.FFFFFFF', no zone), which
--    it reads back as the same DateTime; Period is milliseconds in an INTEGER.
--  * Version is the reminder's ETag: 0 when first registered, +1 on every re-registration; removing names the version
--    and removes nothing when it no longer matches.
--  * The removal is a DELETE followed by SELECT changes(), so it always returns exactly one row (the count), which
--    Orleans expects.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,
    Period       INTEGER NOT NULL,
    GrainHash    INTEGER NOT NULL,
    Version      INTEGER NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_RemindersTable_ServiceId_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
        Version = OrleansRemindersTable.Version + 1
    RETURNING Version;
    '
),
(
    'ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
    '
),
(
    'ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
    '
),
(
    'ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
    '
),
(
    'ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
    '
),
(
    'DeleteReminderRowKey', '
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
    SELECT changes() AS DeletedCount;
    '
),
(
    'DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
    '
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
