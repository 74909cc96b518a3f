-- CityTwin on PostgreSQL: many grain-state writes in one statement (BatchedGrainStorage, PostgresStateBatches).
--
-- Design choices:
--  * Each row is written exactly as Orleans' WriteToStorageKey (Persistence.sql) writes it, with the same ETag rules,
--    for a whole batch at once: one statement and one commit per write capped the twin at about 1,000 writes/s.
--  * The writes come as parallel arrays (unnest ... WITH ORDINALITY); Ord, 1-based, names the write a returned row
--    answers. A write with a version is an UPDATE guarded by that version; one without (no row was read) is an INSERT
--    that the unique index UX_OrleansStorage_Key turns into nothing when the row exists. Either way a stale write
--    matches no row and returns nothing, which fails that write alone (InconsistentStateException); the others in the
--    statement are committed.
--  * One statement is one transaction: the batch commits all its matching rows or none (on an error, every write in it
--    fails). A key appears at most once per statement; the caller runs a second write of one key in a later statement.
--  * The UPDATE returns the new Version; the INSERT returns 1, mapped back to its write by the natural key (an INSERT's
--    RETURNING cannot name the unnest row).
--  * ModifiedOn is UTC in a timestamp without time zone, as Orleans' query sets it.
WITH batch AS
(
    SELECT *
    FROM unnest(@GrainIdHash::integer[], @GrainTypeHash::integer[], @GrainIdExtensionString::text[], @GrainTypeString::text[],
        @PayloadBinary::bytea[], @GrainStateVersion::integer[])
        WITH ORDINALITY AS b(GrainIdHash, GrainTypeHash, GrainIdExtensionString, GrainTypeString, PayloadBinary, GrainStateVersion, Ord)
),
updated AS
(
    UPDATE OrleansStorage AS s
    SET PayloadBinary = b.PayloadBinary, ModifiedOn = (now() AT TIME ZONE 'utc'), Version = s.Version + 1
    FROM batch AS b
    WHERE b.GrainStateVersion IS NOT NULL
        AND s.GrainIdHash = b.GrainIdHash AND s.GrainTypeHash = b.GrainTypeHash
        AND s.GrainIdN0 = 0 AND s.GrainIdN1 = 0
        AND s.GrainTypeString = b.GrainTypeString
        AND s.GrainIdExtensionString = b.GrainIdExtensionString
        AND s.ServiceId = @ServiceId
        AND s.Version = b.GrainStateVersion
    RETURNING b.Ord, s.Version
),
inserted AS
(
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT b.GrainIdHash, 0, 0, b.GrainTypeHash, b.GrainTypeString, b.GrainIdExtensionString, @ServiceId, b.PayloadBinary,
        (now() AT TIME ZONE 'utc'), 1
    FROM batch AS b
    WHERE b.GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING GrainIdExtensionString, GrainTypeString, Version
)
SELECT Ord, Version FROM updated
UNION ALL
SELECT b.Ord, i.Version
FROM inserted AS i
JOIN batch AS b
    ON b.GrainStateVersion IS NULL
    AND b.GrainIdExtensionString = i.GrainIdExtensionString AND b.GrainTypeString = i.GrainTypeString
