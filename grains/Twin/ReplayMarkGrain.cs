using CityTwin.Silo.Storage;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <inheritdoc cref="IReplayMarkGrain" />
[GrainType("replaymark")]
public sealed class ReplayMarkGrain([PersistentState("mark", SiloStore.StorageName)] IPersistentState<ReplayMark> mark) : Grain, IReplayMarkGrain
{
    /// <inheritdoc />
    public Task<long> GetAsync() => Task.FromResult(mark.State.Through);

    /// <inheritdoc />
    public async Task AdvanceAsync(long through)
    {
        if (through > mark.State.Through)
        {
            mark.State.Through = through;
            await mark.WriteStateAsync();
        }
    }
}

/// <summary>The stored replay mark.</summary>
[GenerateSerializer]
public sealed class ReplayMark
{
    /// <summary>Every logged input at or below this seq is reflected in the stored states.</summary>
    [Id(0)]
    public long Through { get; set; }
}
