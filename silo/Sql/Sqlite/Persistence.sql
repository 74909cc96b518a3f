-- CityTwin on SQLite: grain state for Orleans' ADO.NET grain storage (Orleans.Persistence.AdoNet).
--
-- Design choices:
--  * OrleansStorage keeps Orleans' name and columns, so Orleans' provider reads and writes it and anyone who knows
--    Orleans' tables can query it.
--  * Row identity. Orleans passes the provider the state name (the [PersistentState] name), not the grain type, and
--    keys the row by the grain key alone; a key that parses as hexadecimal ("abc", "0123") it stores as an integer in
--    GrainIdN1. Grains of different types with the same key and state name would share one row. CityTwin therefore
--    hands the provider the whole grain id ("sensor/s-17") as a string key: GrainIdExtensionString = grain type "/"
--    grain key, GrainIdN0 = GrainIdN1 = 0, GrainTypeString = state name, ServiceId = 'citytwin'.
--  * Hashes are Orleans' (its StableHash, a Jenkins hash): GrainIdHash of the UTF-8 bytes of GrainIdExtensionString in
--    reverse order, GrainTypeHash of the UTF-8 bytes of GrainTypeString.
--  * Two indexes. Orleans' narrow IX_OrleansStorage (GrainIdHash, GrainTypeHash) finds a row for a read or write.
--    UX_OrleansStorage_Key, unique over the natural key, makes a second row for one state impossible, and lists one
--    grain type's states as a single index range (SQLite's BINARY collation is byte order).
--  * Version is the ETag. NULL means "no row was read"; the first write stores 1 and every write or clear adds 1. A
--    write or clear naming another version matches no row, returns no row, and changes nothing; Orleans then raises
--    InconsistentStateException.
--  * A write is two statements in one command, of which at most one can change anything (UPDATE when a version is
--    given, INSERT when none is); each is atomic on its own, so no explicit transaction is held across them.
--    RETURNING gives Orleans the new version (SQLite 3.35 or later; Microsoft.Data.Sqlite bundles a newer one).
--  * Clearing keeps the row with a NULL payload and a new version (Orleans' default, DeleteStateOnClear = false).
--  * PayloadBinary is CityTwin's state JSON (UTF-8, TwinStateSerializer), the same bytes as before the move to Orleans.
--  * ModifiedOn is UTC text 'YYYY-MM-DD HH:MM:SS.SSS'; it is informational.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);

CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Key
    ON OrleansStorage (ServiceId, GrainIdExtensionString, GrainTypeString, GrainIdN0, GrainIdN1);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey', '
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS @GrainIdExtensionString
        AND ServiceId = @ServiceId
    LIMIT 1;
    '
),
(
    'WriteToStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, ModifiedOn = strftime(''%Y-%m-%d %H:%M:%f'', ''now''), Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS @GrainIdExtensionString
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;

    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary,
        strftime(''%Y-%m-%d %H:%M:%f'', ''now''), 1
    WHERE @GrainStateVersion IS NULL
        AND NOT EXISTS
        (
            SELECT 1 FROM OrleansStorage
            WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                AND GrainTypeString = @GrainTypeString
                AND GrainIdExtensionString IS @GrainIdExtensionString
                AND ServiceId = @ServiceId
        )
    ON CONFLICT DO NOTHING
    RETURNING Version AS NewGrainStateVersion;
    '
),
(
    'ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = strftime(''%Y-%m-%d %H:%M:%f'', ''now''), Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS @GrainIdExtensionString
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
    '
),
(
    'DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS @GrainIdExtensionString
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version + 1 AS NewGrainStateVersion;
    '
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
