using System.Text.Json;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// Grain state through the store's provider in a real Orleans silo (Orleans' ADO.NET provider on SQLite and
/// PostgreSQL, our memory provider): it survives restarts, stale writes are refused, and what was written can be listed.
/// </summary>
public sealed class GrainStorageTests
{
    [Theory]
    [MemberData(nameof(StoreTarget.AllKinds), MemberType = typeof(StoreTarget))]
    public async Task State_written_by_a_grain_is_read_back_after_a_silo_restart(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            ICounterGrain grain = silo.Grains.GetGrain<ICounterGrain>("c-1");
            Assert.Equal(0, (await grain.GetAsync()).Count);
            await grain.AddAsync(2, "first");
            Assert.Equal(7, await grain.AddAsync(5, "second"));
        }

        // A new store object and a new silo: only what storage holds is left.
        await using (SiloStore store = await target.OpenAsync())
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            ICounterGrain grain = silo.Grains.GetGrain<ICounterGrain>("c-1");
            CounterState state = await grain.GetAsync();
            Assert.Equal(7, state.Count);
            Assert.Equal(["first", "second"], state.Notes);
            Assert.Equal(8, await grain.AddAsync(1, "third"));
            Assert.Equal(0, (await silo.Grains.GetGrain<ICounterGrain>("c-2").GetAsync()).Count);
        }
    }

    [Theory]
    [MemberData(nameof(StoreTarget.AllKinds), MemberType = typeof(StoreTarget))]
    public async Task A_write_with_a_stale_etag_is_refused_and_changes_nothing(StoreKind kind)
    {
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using SiloStore store = await target.OpenAsync();
        await using TestSilo silo = await TestSilo.StartAsync(store);
        IGrainStorage storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SiloStore.StorageName);
        GrainId id = GrainId.Create("counter", "etag-1");

        // The twin storage is also the default one, for grains that name no storage.
        Assert.Same(storage, silo.Services.GetRequiredKeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));

        GrainState<CounterState> writer = new(new CounterState { Count = 1 });
        await storage.WriteStateAsync("entity", id, writer);
        string? firstEtag = writer.ETag;
        writer.State!.Count = 2;
        await storage.WriteStateAsync("entity", id, writer);
        Assert.NotNull(firstEtag);
        Assert.NotEqual(firstEtag, writer.ETag);

        // A second writer that read before the last write, and one that never read: both are refused.
        GrainState<CounterState> stale = new(new CounterState { Count = 99 }, firstEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("entity", id, stale));
        GrainState<CounterState> blind = new(new CounterState { Count = 98 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("entity", id, blind));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("entity", id, stale));

        GrainState<CounterState> read = new(new CounterState());
        await storage.ReadStateAsync("entity", id, read);
        Assert.Equal(2, read.State!.Count);
        Assert.Equal(writer.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal([2], await CountsAsync(store.States, "counter"));

        // The grain itself sees the stored state, and a clear followed by a write goes on from the new ETag.
        ICounterGrain grain = silo.Grains.GetGrain<ICounterGrain>("etag-1");
        Assert.Equal(2, (await grain.GetAsync()).Count);
        await grain.ClearAsync();
        Assert.Empty(await CountsAsync(store.States, "counter"));
        Assert.Equal(4, await grain.AddAsync(4, "after clear"));
        Assert.Equal([4], await CountsAsync(store.States, "counter"));
    }

    [Theory]
    [MemberData(nameof(StoreTarget.AllKinds), MemberType = typeof(StoreTarget))]
    public async Task Stored_states_are_listed_by_grain_type_with_their_exact_keys(StoreKind kind)
    {
        // Keys Orleans' ADO.NET provider would otherwise store as integers ("abc", "0123"), one holding the separator,
        // and a key shared by two grain types with the same state name.
        string[] keys = ["shared", "abc", "ABC", "0123", "123", "zone/7", "数据-1"];
        await using StoreTarget target = await StoreTarget.CreateAsync(kind);
        await using SiloStore store = await target.OpenAsync();
        await using (TestSilo silo = await TestSilo.StartAsync(store))
        {
            for (int i = 0; i < keys.Length; i++)
            {
                await silo.Grains.GetGrain<ICounterGrain>(keys[i]).AddAsync(i + 1, keys[i]);
            }

            await silo.Grains.GetGrain<ITallyGrain>("shared").AddAsync(100);
            await silo.Grains.GetGrain<ICounterGrain>("cleared").AddAsync(1, "gone");
            await silo.Grains.GetGrain<ICounterGrain>("cleared").ClearAsync();
            Assert.Equal(1, await silo.Grains.GetGrain<ICounterGrain>("shared").AddAsync(0, "again"));
        }

        List<StoredState> counters = await ListAsync(store.States, "counter");
        Assert.Equal(keys.Order(StringComparer.Ordinal), counters.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.All(counters, s => Assert.Equal("counter", s.GrainType));
        Assert.All(counters, s => Assert.Equal("entity", s.StateName));
        for (int i = 0; i < keys.Length; i++)
        {
            StoredState state = counters.Single(s => s.Key == keys[i]);
            List<string> notes = i == 0 ? [keys[i], "again"] : [keys[i]];

            // The payload is the state JSON the silo wrote before Orleans (StateJson's options).
            byte[] expected = JsonSerializer.SerializeToUtf8Bytes(new CounterState { Count = i + 1, Notes = notes }, StateJson.CreateOptions());
            Assert.Equal(expected, state.Payload.ToArray());
        }

        StoredState tally = Assert.Single(await ListAsync(store.States, "tally"));
        Assert.Equal(("shared", "entity"), (tally.Key, tally.StateName));
        Assert.Equal(100, Deserialize(tally).Count);
        Assert.Empty(await ListAsync(store.States, "count"));
        Assert.Empty(await ListAsync(store.States, "counters"));

        // And each grain reads its own row back.
        await using TestSilo restarted = await TestSilo.StartAsync(store);
        Assert.Equal(1, (await restarted.Grains.GetGrain<ICounterGrain>("shared").GetAsync()).Count);
        Assert.Equal(100, await restarted.Grains.GetGrain<ITallyGrain>("shared").GetAsync());
        Assert.Equal(3, (await restarted.Grains.GetGrain<ICounterGrain>("ABC").GetAsync()).Count);
        Assert.Equal(2, (await restarted.Grains.GetGrain<ICounterGrain>("abc").GetAsync()).Count);
        Assert.Equal(4, (await restarted.Grains.GetGrain<ICounterGrain>("0123").GetAsync()).Count);
    }

    private static CounterState Deserialize(StoredState state) => new TwinStateSerializer().Deserialize<CounterState>(new BinaryData(state.Payload));

    private static async Task<List<StoredState>> ListAsync(IStoredStateReader reader, string grainType)
    {
        List<StoredState> states = new();
        await foreach (StoredState state in reader.ReadAllAsync(grainType))
        {
            states.Add(state);
        }

        return states;
    }

    private static async Task<List<int>> CountsAsync(IStoredStateReader reader, string grainType) =>
        (await ListAsync(reader, grainType)).Select(s => Deserialize(s).Count).ToList();
}
