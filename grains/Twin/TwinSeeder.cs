using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Writes twin entities' first states straight to the silo's grain storage and their summaries to the read model,
/// without activating a grain. A district loaded this way is exactly what a restart restores, and its grains activate
/// when first used: loading 50,000 buildings by activating each of their 378,000 grains took 37 s and 2.1 GB
/// (Orleans 10.4.2, memory store, this project's machine), against seconds and the read model alone this way.
/// </summary>
public sealed class TwinSeeder
{
    // States written concurrently; a store with one statement per write queues them on its connection pool.
    private const int InFlight = 1_000;

    private readonly IGrainStorage _storage;
    private readonly Dictionary<Type, GrainType> _grainTypes;

    /// <summary>A seeder over the grain storage and twin grain types of the silo whose services are <paramref name="services"/>.</summary>
    public TwinSeeder(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _storage = services.GetRequiredKeyedService<IGrainStorage>(SiloStore.StorageName);
        Directory = services.GetRequiredService<TwinDirectory>();
        _grainTypes = TwinRestorer.EntityStateTypes(services).ToDictionary(t => t.StateType, t => GrainType.Create(t.GrainType));
    }

    /// <summary>The read model the seeded summaries go to (also the one state initialisers share ids with).</summary>
    public TwinDirectory Directory { get; }

    /// <summary>
    /// Makes a first state for every item with <paramref name="create"/> (given the item, returning the grain key and its
    /// state), puts its summary in the read model in item order, and writes the states to storage, at most
    /// <see cref="InFlight"/> at a time. Returns when every state is stored.
    /// </summary>
    public async Task SeedAsync<TItem, TState>(IEnumerable<TItem> items, Func<TItem, (string Key, TState State)> create, CancellationToken cancellationToken = default)
        where TState : class, ITwinEntityState
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(create);
        if (!_grainTypes.TryGetValue(typeof(TState), out GrainType grainType))
        {
            throw new ArgumentException($"{typeof(TState).Name} is not the entity state of a twin grain.", nameof(create));
        }

        var writes = new List<Task>();
        foreach (TItem item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (string key, TState state) = create(item);
            Directory.Upsert(state.ToSummary(), publish: false);
            writes.Add(_storage.WriteStateAsync(TwinRestorer.EntityStateName, GrainId.Create(grainType, key), new GrainState<TState>(state)));
            if (writes.Count == InFlight)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }

        await Task.WhenAll(writes);
    }
}
