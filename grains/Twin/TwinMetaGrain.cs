using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>Stores the district meta data; its presence tells a restarting server to restore rather than regenerate.</summary>
[GrainType("twinmeta")]
public sealed class TwinMetaGrain([PersistentState("meta", SiloStore.StorageName)] IPersistentState<DistrictMeta> stored)
    : WriteBehindGrain<DistrictMeta>(stored), ITwinMetaGrain
{
    /// <inheritdoc />
    public Task<DistrictMeta?> GetAsync() => Task.FromResult(State.IsLoaded ? State : null);

    /// <inheritdoc />
    public async Task SetAsync(DistrictMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        PersistentState.State = meta;
        await WriteStateAsync();
    }
}
