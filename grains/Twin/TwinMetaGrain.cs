using CityTwin.Silo;

namespace CityTwin.Grains.Twin;

/// <summary>Stores the district meta data; its presence tells a restarting server to restore rather than regenerate.</summary>
public sealed class TwinMetaGrain([PersistentState("meta")] IPersistentState<DistrictMeta> state) : Grain, ITwinMetaGrain
{
    /// <inheritdoc />
    public Task<DistrictMeta?> GetAsync() => Task.FromResult(state.State.IsLoaded ? state.State : null);

    /// <inheritdoc />
    public async Task SetAsync(DistrictMeta meta)
    {
        state.State = meta;
        await state.WriteStateAsync();
    }
}
