-- CityTwin on PostgreSQL: durable reminders for Orleans' ADO.NET reminder service (Orleans.Reminders.AdoNet).
--
-- Design choices:
--  * OrleansRemindersTable keeps Orleans' name, columns and types, so Orleans' reminder service and anyone who knows
--    its tables can use it.
--  * GrainId is Orleans' grain id string ("case/c-42"), GrainHash its uniform hash as a signed integer; a silo reads
--    the reminders of its hash range, so (ServiceId, GrainHash) is indexed. The primary key makes registering a
--    reminder again replace its schedule.
--  * StartTime is timestamptz with millisecond precision; Period is milliseconds in a bigint.
--  * Version is the reminder's ETag: 0 when first registered, +1 on every re-registration; removing names the version
--    and removes nothing when it no longer matches.
--  * Plain statements, no PL/pgSQL functions: an INSERT ... ON CONFLICT DO UPDATE for the upsert, and a DELETE in a
--    common table expression so the removal always returns exactly one row (the count), which Orleans expects.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_RemindersTable_ServiceId_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpsertReminderRowKey', $sql$
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash, Version = r.Version + 1
    RETURNING Version
    $sql$
),
(
    'ReadReminderRowsKey', $sql$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId
    $sql$
),
(
    'ReadReminderRowKey', $sql$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
    $sql$
),
(
    'ReadRangeRows1Key', $sql$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
    $sql$
),
(
    'ReadRangeRows2Key', $sql$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
    $sql$
),
(
    'DeleteReminderRowKey', $sql$
    WITH deleted AS
    (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
        RETURNING 1
    )
    SELECT count(*)::integer AS DeletedCount FROM deleted
    $sql$
),
(
    'DeleteReminderRowsKey', $sql$
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
    $sql$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
