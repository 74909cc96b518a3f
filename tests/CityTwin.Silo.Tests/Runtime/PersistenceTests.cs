using CityTwin.Silo.Storage;
using CityTwin.Silo.Tests.Storage;

namespace CityTwin.Silo.Tests.Runtime;

/// <summary>Grain state through the runtime, on memory, SQLite and the real PostgreSQL.</summary>
public sealed class PersistenceTests(StoreFixture stores) : IClassFixture<StoreFixture>
{
    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task Changed_state_is_written_on_idle_deactivation_and_read_on_reactivation(StoreKind kind)
    {
        await using SiloStore store = await SiloStore.OpenAsync(await stores.CreateTargetAsync(kind));
        var (silo, _) = await TestSilo.StartOnAsync(store, b => b.Configure(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(200);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(100);
        }));
        await using var _s = silo;
        string key = Guid.NewGuid().ToString("N");

        await silo.GrainFactory.GetGrain<IStatefulGrain>(key).AddAsync(5);
        await TurnBasedExecutionTests.WaitUntil(() => silo.ActivationCount == 0);

        StoredGrainState? stored = await store.Storage.ReadAsync(new GrainStateKey("stateful", key, "counter"));
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(5, await silo.GrainFactory.GetGrain<IStatefulGrain>(key).GetAsync());
    }

    [Theory]
    [MemberData(nameof(StoreFixture.DurableKinds), MemberType = typeof(StoreFixture))]
    public async Task State_survives_a_silo_restart(StoreKind kind)
    {
        StoreOptions target = await stores.CreateTargetAsync(kind);
        string key = Guid.NewGuid().ToString("N");
        await using (SiloStore store = await SiloStore.OpenAsync(target))
        {
            var (silo, _) = await TestSilo.StartOnAsync(store);
            await silo.GrainFactory.GetGrain<IStatefulGrain>(key).AddAsync(3);
            await silo.GrainFactory.GetGrain<IStatefulGrain>(key).SaveAsync();
            await silo.GrainFactory.GetGrain<IStatefulGrain>(key).AddAsync(4);

            // Not saved explicitly: the graceful stop writes it.
            await silo.DisposeAsync();
        }

        await using (SiloStore store = await SiloStore.OpenAsync(target))
        {
            var (silo, _) = await TestSilo.StartOnAsync(store);
            await using var _s = silo;
            Assert.Equal(7, await silo.GrainFactory.GetGrain<IStatefulGrain>(key).GetAsync());
            Assert.Equal(2, await silo.GrainFactory.GetGrain<IStatefulGrain>(key).VersionAsync());
        }
    }

    [Theory]
    [MemberData(nameof(StoreFixture.AllKinds), MemberType = typeof(StoreFixture))]
    public async Task A_stale_version_write_is_rejected_and_the_stored_state_is_unchanged(StoreKind kind)
    {
        // Two silos on one store both activate the grain: the second writer holds a stale version.
        await using SiloStore store = await SiloStore.OpenAsync(await stores.CreateTargetAsync(kind));
        var (first, _) = await TestSilo.StartOnAsync(store, b => b.Configure(o => o.Name = "first"));
        var (second, _) = await TestSilo.StartOnAsync(store, b => b.Configure(o => o.Name = "second"));
        await using var _f = first;
        await using var _sec = second;
        string key = Guid.NewGuid().ToString("N");
        IStatefulGrain inFirst = first.GrainFactory.GetGrain<IStatefulGrain>(key);
        IStatefulGrain inSecond = second.GrainFactory.GetGrain<IStatefulGrain>(key);

        await inFirst.GetAsync();
        await inSecond.GetAsync();
        await inFirst.AddAsync(10);
        Assert.Equal(1, await inFirst.SaveAsync());
        await inSecond.AddAsync(99);

        var e = await Assert.ThrowsAsync<InconsistentStateException>(() => inSecond.SaveAsync());
        Assert.Equal(0, e.ExpectedVersion);

        StoredGrainState? stored = await store.Storage.ReadAsync(new GrainStateKey("stateful", key, "counter"));
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Contains("\"value\":10", System.Text.Encoding.UTF8.GetString(stored.Payload));
    }

    [Fact]
    public async Task Deactivate_on_idle_writes_state_and_the_next_call_gets_a_new_activation()
    {
        await using SiloStore store = await SiloStore.OpenAsync(await stores.CreateTargetAsync(StoreKind.Sqlite));
        var (silo, _) = await TestSilo.StartOnAsync(store);
        await using var _s = silo;
        IStatefulGrain grain = silo.GrainFactory.GetGrain<IStatefulGrain>("door");

        await grain.AddAsync(2);
        await grain.DeactivateAsync();
        await TurnBasedExecutionTests.WaitUntil(() => silo.ActivationCount == 0);
        await grain.AddAsync(1);

        Assert.Equal(3, await grain.GetAsync());
        Assert.Equal(1, await grain.VersionAsync());
    }
}
