-- CityTwin on SQLite: a grain-state write that names the version it read, one of a batch (BatchedGrainStorage,
-- SqliteStateBatches), prepared once and run in the batch's one transaction.
--
-- Design choices:
--  * The UPDATE half of Orleans' WriteToStorageKey (Persistence.sql): guarded by the version, it changes nothing and
--    returns nothing for a stale write, which fails that write alone; the others in the transaction are committed.
--  * Every write of a batch runs in one transaction (BEGIN IMMEDIATE ... COMMIT), so the batch costs one commit
--    instead of one per write; writes run in queue order, so two writes of one key see each other.
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary, ModifiedOn = strftime('%Y-%m-%d %H:%M:%f', 'now'), Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
    AND GrainIdN0 = 0 AND GrainIdN1 = 0
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString = @GrainIdExtensionString
    AND ServiceId = @ServiceId
    AND Version = @GrainStateVersion
RETURNING Version;
