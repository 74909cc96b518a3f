-- CityTwin on PostgreSQL: the statement table of Orleans' ADO.NET providers.
--
-- Design choices:
--  * Orleans' providers issue only the statements stored in OrleansQuery, looked up by QueryKey; they bind parameters
--    and read result columns by name, so the statements are ours to write as long as names and types are kept.
--  * OrleansQuery keeps Orleans' name and shape (QueryKey varchar(64) primary key, QueryText varchar(8000)), so
--    Orleans' documentation and tools apply to it.
--  * Every script is idempotent (CREATE ... IF NOT EXISTS, INSERT ... ON CONFLICT) and runs at every store open, in
--    one transaction that holds an advisory lock: several silos may start at once and a failed start leaves nothing
--    half-applied.
--  * Statements are stored with INSERT ... ON CONFLICT (QueryKey) DO UPDATE, so the build that starts replaces the
--    statements of the build that ran before it.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
