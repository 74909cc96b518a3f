using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>Grain type "tally", state "entity" in <see cref="SiloStore.StorageName"/>: same state name as "counter", other type.</summary>
[GrainType("tally")]
public sealed class TallyGrain([PersistentState("entity", SiloStore.StorageName)] IPersistentState<CounterState> state) : Grain, ITallyGrain
{
    /// <inheritdoc />
    public async Task<int> AddAsync(int amount)
    {
        state.State.Count += amount;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    /// <inheritdoc />
    public Task<int> GetAsync() => Task.FromResult(state.State.Count);
}
