-- CityTwin on PostgreSQL: many grain-state reads in one statement (BatchedGrainStorage, PostgresStateBatches).
--
-- Design choices:
--  * The same rows as Orleans' ReadFromStorageKey (Persistence.sql), for a whole batch of keys at once: when a district
--    loads, thousands of grains activate together, and one round trip per read capped the twin at about 1,000 reads/s.
--  * The keys come as parallel arrays (unnest ... WITH ORDINALITY); Ord, 1-based, names the request each row answers.
--    A key with no row returns nothing, as in Orleans' query.
--  * Only CityTwin's string keys (GrainIdN0 = GrainIdN1 = 0, GrainIdExtensionString never NULL), so equality replaces
--    Orleans' IS NOT DISTINCT FROM and the hashes find each row through IX_OrleansStorage.
SELECT b.Ord, s.PayloadBinary, s.Version
FROM unnest(@GrainIdHash::integer[], @GrainTypeHash::integer[], @GrainIdExtensionString::text[], @GrainTypeString::text[])
    WITH ORDINALITY AS b(GrainIdHash, GrainTypeHash, GrainIdExtensionString, GrainTypeString, Ord)
JOIN OrleansStorage AS s
    ON s.GrainIdHash = b.GrainIdHash AND s.GrainTypeHash = b.GrainTypeHash
    AND s.GrainIdN0 = 0 AND s.GrainIdN1 = 0
    AND s.GrainTypeString = b.GrainTypeString
    AND s.GrainIdExtensionString = b.GrainIdExtensionString
    AND s.ServiceId = @ServiceId
