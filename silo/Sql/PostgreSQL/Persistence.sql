-- CityTwin on PostgreSQL: grain state for Orleans' ADO.NET grain storage (Orleans.Persistence.AdoNet).
--
-- Design choices:
--  * OrleansStorage keeps Orleans' name, columns and types, so Orleans' provider reads and writes it and anyone who
--    knows Orleans' tables can query it.
--  * Row identity. Orleans passes the provider the state name (the [PersistentState] name), not the grain type, and
--    keys the row by the grain key alone; a key that parses as hexadecimal ("abc", "0123") it stores as an integer in
--    GrainIdN1. Grains of different types with the same key and state name would share one row. CityTwin therefore
--    hands the provider the whole grain id ("sensor/s-17") as a string key: GrainIdExtensionString = grain type "/"
--    grain key, GrainIdN0 = GrainIdN1 = 0, GrainTypeString = state name, ServiceId = 'citytwin'.
--  * Hashes are Orleans' (its StableHash, a Jenkins hash): GrainIdHash of the UTF-8 bytes of GrainIdExtensionString in
--    reverse order, GrainTypeHash of the UTF-8 bytes of GrainTypeString. They are computed by the provider; rows
--    copied from an earlier CityTwin database are hashed the same way at migration.
--  * Two indexes. Orleans' narrow IX_OrleansStorage (GrainIdHash, GrainTypeHash) finds a row for a read or write.
--    UX_OrleansStorage_Key, unique over the natural key, makes a second row for one state impossible even when two
--    activations race to insert it (the loser's INSERT does nothing and Orleans raises InconsistentStateException),
--    and lists one grain type's states as a single index range (read-model rebuild, fork seeding) without activating
--    grains. GrainIdExtensionString is collated "C" so that range is exact byte order.
--  * Version is the ETag. NULL means "no row was read"; the first write stores 1 and every write or clear adds 1. A
--    write or clear naming another version matches no row, returns no row, and changes nothing; Orleans then raises
--    InconsistentStateException.
--  * Clearing keeps the row with a NULL payload and a new version (Orleans' default, DeleteStateOnClear = false), so a
--    stale writer is still caught after a clear. DeleteStorageKey serves DeleteStateOnClear = true.
--  * PayloadBinary is CityTwin's state JSON (UTF-8, TwinStateSerializer), the same bytes as before the move to Orleans.
--  * Writes are single statements (no PL/pgSQL function): an UPDATE guarded by the version, or an INSERT guarded by
--    NOT EXISTS and the unique index.
--  * fillfactor 75 leaves room on each page, so rewriting a state (the common write, no indexed column changes) is a
--    HOT update that touches no index.
--  * ModifiedOn is UTC in a timestamp without time zone, as in Orleans' script; it is informational.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) COLLATE "C",
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea,
    ModifiedOn             timestamp    NOT NULL,
    Version                integer
) WITH (fillfactor = 75);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);

CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Key
    ON OrleansStorage (ServiceId, GrainIdExtensionString, GrainTypeString, GrainIdN0, GrainIdN1);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey', $sql$
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
        AND ServiceId = @ServiceId
    $sql$
),
(
    'WriteToStorageKey', $sql$
    WITH updated AS
    (
        UPDATE OrleansStorage
        SET PayloadBinary = @PayloadBinary, ModifiedOn = (now() AT TIME ZONE 'utc'), Version = Version + 1
        WHERE @GrainStateVersion IS NOT NULL
            AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
            AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
            AND GrainTypeString = @GrainTypeString
            AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
            AND ServiceId = @ServiceId
            AND Version = @GrainStateVersion
        RETURNING Version
    ),
    inserted AS
    (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary,
            (now() AT TIME ZONE 'utc'), 1
        WHERE @GrainStateVersion IS NULL
            AND NOT EXISTS
            (
                SELECT 1 FROM OrleansStorage
                WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                    AND GrainTypeString = @GrainTypeString
                    AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
                    AND ServiceId = @ServiceId
            )
        ON CONFLICT DO NOTHING
        RETURNING Version
    )
    SELECT Version AS NewGrainStateVersion FROM updated
    UNION ALL
    SELECT Version AS NewGrainStateVersion FROM inserted
    $sql$
),
(
    'ClearStorageKey', $sql$
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = (now() AT TIME ZONE 'utc'), Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion
    $sql$
),
(
    'DeleteStorageKey', $sql$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion
    $sql$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
