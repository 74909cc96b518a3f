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
    /// <summary>The calls in flight a fork's checkpoint uses: as fast as the silo can write.</summary>
    public const int AllAtOnce = 1_000;

    /// <summary>The calls in flight a checkpoint of a serving twin uses (the live checkpoint, a silo joining a cluster).</summary>
    /// <remarks>
    /// All at once (1,000), a 32,000-sensor checkpoint beside 2,000 readings/s and 1,000 radius queries/s raised the
    /// queries' p99 from 31 to 85 ms (HTTP, memory store, this machine kind).
    /// </remarks>
    public const int LiveInFlight = 16;

    /// <summary>
    /// Checkpoints every active write-behind grain of the silo whose services are <paramref name="services"/>, with at most
    /// <paramref name="inFlight"/> checkpoint calls queued at once; returns the states written. A live silo passes a small
    /// number, so requests arriving meanwhile queue behind a few checkpoint turns rather than a thousand.
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, int inFlight = AllAtOnce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
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
            foreach (GrainId[] chunk in active.Chunk(inFlight))
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool[] results = await Task.WhenAll(chunk.Select(id => grains.GetGrain<ICheckpointGrain>(id).CheckpointAsync()));
                written += results.Count(r => r);
            }
        }

        return written;
    }
}
