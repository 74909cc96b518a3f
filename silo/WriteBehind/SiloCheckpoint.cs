using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Metadata;
using Orleans.Runtime;

namespace CityTwin.Silo.WriteBehind;

/// <summary>
/// Makes storage hold the twin as it is now: every active write-behind grain (found through Orleans' management grain)
/// is asked, as a call of its own, to write its state if it changed. Used before a fork copies the stored states.
/// </summary>
public static class SiloCheckpoint
{
    /// <summary>Checkpoints every active write-behind grain of the silo whose services are <paramref name="services"/>; returns the states written.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        IGrainFactory grains = services.GetRequiredService<IGrainFactory>();
        GrainClassMap classes = services.GetRequiredService<GrainClassMap>();
        IClusterManifestProvider manifest = services.GetRequiredService<IClusterManifestProvider>();
        IManagementGrain management = grains.GetGrain<IManagementGrain>(0);
        int written = 0;
        foreach (GrainType type in manifest.LocalGrainManifest.Grains.Keys)
        {
            if (!classes.TryGetGrainClass(type, out Type? grainClass) || grainClass is null || !typeof(ICheckpointGrain).IsAssignableFrom(grainClass))
            {
                continue;
            }

            List<GrainId> active = await management.GetActiveGrains(type);
            foreach (GrainId[] chunk in active.Chunk(1_000))
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool[] results = await Task.WhenAll(chunk.Select(id => grains.GetGrain<ICheckpointGrain>(id).CheckpointAsync()));
                written += results.Count(r => r);
            }
        }

        return written;
    }
}
