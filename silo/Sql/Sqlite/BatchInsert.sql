-- CityTwin on SQLite: the first write of a grain state (no row was read), one of a batch (BatchedGrainStorage,
-- SqliteStateBatches), prepared once and run in the batch's one transaction.
--
-- Design choices:
--  * The INSERT half of Orleans' WriteToStorageKey (Persistence.sql): when the row exists the unique index
--    UX_OrleansStorage_Key turns it into nothing and it returns nothing, which fails that write alone.
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
VALUES (@GrainIdHash, 0, 0, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary,
    strftime('%Y-%m-%d %H:%M:%f', 'now'), 1)
ON CONFLICT DO NOTHING
RETURNING Version;
