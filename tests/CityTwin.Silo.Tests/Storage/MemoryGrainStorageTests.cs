using System.Text;
using CityTwin.Silo.Storage;
using Orleans.Runtime;
using Orleans.Storage;
using MemoryGrainStorage = CityTwin.Silo.Storage.MemoryGrainStorage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>What the memory provider adds to Orleans' contract: seeding and listing, with ETags that behave like the databases'.</summary>
public sealed class MemoryGrainStorageTests
{
    private static readonly GrainId _sensor = GrainId.Create("sensor", "s-1");

    [Fact]
    public async Task Seeded_states_are_read_by_grains_and_listed_by_type()
    {
        MemoryGrainStorage storage = new();
        storage.Seed(new StoredState("sensor", "s-1", "entity", Encoding.UTF8.GetBytes("""{"count":3}""")));
        storage.Seed(new StoredState("building", "s-1", "entity", Encoding.UTF8.GetBytes("""{"count":4}""")));

        GrainState<CounterState> state = new();
        await storage.ReadStateAsync("entity", _sensor, state);

        Assert.Equal(3, state.State!.Count);
        Assert.True(state.RecordExists);
        Assert.Equal("1", state.ETag);
        StoredState listed = Assert.Single(await ListAsync(storage, "sensor"));
        Assert.Equal(("sensor", "s-1", "entity", """{"count":3}"""), (listed.GrainType, listed.Key, listed.StateName, Encoding.UTF8.GetString(listed.Payload.Span)));
        Assert.Equal(2, storage.Count);
    }

    [Fact]
    public async Task Stale_etags_are_refused_and_a_clear_keeps_refusing_them()
    {
        MemoryGrainStorage storage = new();
        GrainState<CounterState> writer = new(new CounterState { Count = 1 });
        await storage.WriteStateAsync("entity", _sensor, writer);
        string? first = writer.ETag;
        writer.State!.Count = 2;
        await storage.WriteStateAsync("entity", _sensor, writer);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("entity", _sensor, new GrainState<CounterState>(new CounterState { Count = 9 }, first)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("entity", _sensor, new GrainState<CounterState>(new CounterState { Count = 9 })));
        Assert.Equal(2, await CountAsync(storage));

        await storage.ClearStateAsync("entity", _sensor, writer);
        Assert.False(writer.RecordExists);
        Assert.Empty(await ListAsync(storage, "sensor"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("entity", _sensor, new GrainState<CounterState>(new CounterState { Count = 9 }, first)));

        writer.State = new CounterState { Count = 5 };
        await storage.WriteStateAsync("entity", _sensor, writer);
        Assert.Equal(5, await CountAsync(storage));
    }

    [Fact]
    public async Task A_listing_streams_a_large_store()
    {
        MemoryGrainStorage storage = new();
        byte[] payload = Encoding.UTF8.GetBytes("""{"count":1}""");
        for (int i = 0; i < 100_000; i++)
        {
            storage.Seed(new StoredState("cell", $"c-{i}", "entity", payload));
        }

        long count = 0;
        await foreach (StoredState _ in storage.ReadAllAsync("cell"))
        {
            count++;
        }

        Assert.Equal(100_000, count);
    }

    private static async Task<int> CountAsync(MemoryGrainStorage storage)
    {
        GrainState<CounterState> state = new();
        await storage.ReadStateAsync("entity", _sensor, state);
        return state.State!.Count;
    }

    private static async Task<List<StoredState>> ListAsync(IStoredStateReader reader, string grainType)
    {
        List<StoredState> states = new();
        await foreach (StoredState state in reader.ReadAllAsync(grainType))
        {
            states.Add(state);
        }

        return states;
    }
}
