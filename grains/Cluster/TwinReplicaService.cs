using CityTwin.Silo.EventLog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// <see cref="ITwinReplicaService"/> on one silo: hands received batches to <see cref="TwinReplica"/> and answers for
/// this silo's <see cref="DeliveryWatermark"/> and its scenario runs (<see cref="ILocalScenarioRuns"/>, when the host has
/// runs). Its calls do not await, so each runs whole, one at a time, in the order a sender sent them.
/// </summary>
internal sealed class TwinReplicaService(
    GrainId grainId, Orleans.Runtime.Silo silo, ILoggerFactory loggerFactory, TwinReplica replica, DeliveryWatermark watermark, IServiceProvider services)
    : Orleans.Runtime.GrainService(grainId, silo, loggerFactory), ITwinReplicaService
{
    /// <inheritdoc />
    public Task ApplyAsync(TwinReplicaBatch batch)
    {
        replica.Receive(batch);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long?> GetClusterLowAsync()
    {
        // A silo that has logged no reading may still have taken a lease for other entries (a case's transitions): its
        // next reading is numbered in that lease, below the leases the caller counts as untaken, so its low is the
        // highest seq it has numbered. Read first: a reading numbered after this read is above it, and one begun before
        // it shows in the watermark (on its way, or applied).
        long? numbered = services.GetService<IEventLog>() is PostgresEventLog log ? log.HighestNumbered : null;
        return Task.FromResult(watermark.ClusterLow ?? numbered);
    }

    /// <inheritdoc />
    public Task RaiseMarkAsync(long mark)
    {
        watermark.RaiseClusterMark(mark);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<byte[]?> GetScenarioRunAsync(string id) => Task.FromResult(Runs?.Get(id));

    /// <inheritdoc />
    public Task<byte[]> ListScenarioRunsAsync() => Task.FromResult(Runs?.List() ?? "[]"u8.ToArray());

    // Resolved when asked: the host's run registry is made on first use, after the silo has started.
    private ILocalScenarioRuns? Runs => services.GetService<ILocalScenarioRuns>();
}
