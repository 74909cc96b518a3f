-- CityTwin on SQLite: one grain-state read of a batch (BatchedGrainStorage, SqliteStateBatches), prepared once and run
-- for every key of the batch on one connection.
--
-- Design choices:
--  * The same row as Orleans' ReadFromStorageKey (Persistence.sql). Orleans' provider opens a connection per read; a
--    batch shares one connection and one prepared statement instead.
--  * Only CityTwin's string keys (GrainIdN0 = GrainIdN1 = 0, GrainIdExtensionString never NULL), so equality replaces
--    Orleans' IS.
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
    AND GrainIdN0 = 0 AND GrainIdN1 = 0
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString = @GrainIdExtensionString
    AND ServiceId = @ServiceId
LIMIT 1;
