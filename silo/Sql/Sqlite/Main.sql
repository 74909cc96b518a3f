-- CityTwin on SQLite: the statement table of Orleans' ADO.NET providers (invariant "System.Data.SQLite", which
-- Orleans 10.4.2 serves with Microsoft.Data.Sqlite).
--
-- Design choices:
--  * Orleans' providers issue only the statements stored in OrleansQuery, looked up by QueryKey; they bind parameters
--    and read result columns by name, so the statements are ours to write as long as names and types are kept.
--  * OrleansQuery keeps Orleans' name and shape (QueryKey primary key, QueryText).
--  * Every script is idempotent (CREATE ... IF NOT EXISTS, INSERT ... ON CONFLICT) and runs at every store open in
--    one write transaction (BEGIN IMMEDIATE), so processes opening the same file at once queue on SQLite's write lock
--    and a failed start leaves nothing half-applied.
--  * Statements are stored with INSERT ... ON CONFLICT (QueryKey) DO UPDATE, so the build that starts replaces the
--    statements of the build that ran before it.
--  * Connection settings are not in the statements: the store opens every provider connection with WAL (set once,
--    kept by the file), synchronous=NORMAL and busy_timeout=10000.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
