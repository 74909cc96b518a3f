using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>The schema scripts are idempotent, safe for silos starting together, and restore Orleans' statements.</summary>
public sealed class SchemaTests
{
    private const string QueryKeys = """
        SELECT count(*) FROM OrleansQuery WHERE QueryKey IN (
            'ReadFromStorageKey', 'WriteToStorageKey', 'ClearStorageKey', 'DeleteStorageKey',
            'UpsertReminderRowKey', 'ReadReminderRowsKey', 'ReadReminderRowKey', 'ReadRangeRows1Key', 'ReadRangeRows2Key',
            'DeleteReminderRowKey', 'DeleteReminderRowsKey')
        """;

    // Orleans' ADO.NET clustering statements: PostgreSQL only (a cluster needs a shared database server).
    private const string ClusteringKeys = """
        SELECT count(*) FROM OrleansQuery WHERE QueryKey IN (
            'CleanupDefunctSiloEntriesKey', 'DeleteMembershipTableEntriesKey', 'GatewaysQueryKey', 'InsertMembershipKey',
            'InsertMembershipVersionKey', 'MembershipReadAllKey', 'MembershipReadRowKey', 'UpdateIAmAlivetimeKey', 'UpdateMembershipKey')
        """;

    [Theory]
    [MemberData(nameof(StoreTarget.DurableKinds), MemberType = typeof(StoreTarget))]
    public async Task The_schema_applies_again_and_from_several_stores_opening_at_once(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);

        SiloStore[] stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(target.OpenAsync)));
        foreach (SiloStore store in stores)
        {
            await store.DisposeAsync();
        }

        int clustering = kind == StoreKind.Postgres ? 9 : 0;
        Assert.Equal(11, await target.CountAsync(QueryKeys));
        Assert.Equal(clustering, await target.CountAsync(ClusteringKeys));
        Assert.Equal(11 + clustering, await target.CountAsync("SELECT count(*) FROM OrleansQuery"));

        // A statement left by another build is replaced by this build's on the next open.
        await target.ExecuteAsync("UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'WriteToStorageKey'");
        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            Assert.Equal(0, await target.CountAsync("SELECT count(*) FROM OrleansQuery WHERE QueryText = 'SELECT 1'"));
            Assert.Equal(3, await silo.Grains.GetGrain<ICounterGrain>("schema").AddAsync(3, "works"));
        }

        await using (SiloStore store = await target.OpenAsync())
        {
            Assert.Null(store.Migration);
        }

        Assert.Equal(1, await target.CountAsync("SELECT count(*) FROM OrleansStorage"));
    }
}
