using CityTwin.Silo.EventLog;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// <see cref="ITwinReplicaService"/> on one silo: hands received batches to <see cref="TwinReplica"/> and answers for
/// this silo's <see cref="DeliveryWatermark"/>. Its calls do not await, so each runs whole, one at a time, in the order a
/// sender sent them.
/// </summary>
internal sealed class TwinReplicaService(GrainId grainId, Orleans.Runtime.Silo silo, ILoggerFactory loggerFactory, TwinReplica replica, DeliveryWatermark watermark)
    : Orleans.Runtime.GrainService(grainId, silo, loggerFactory), ITwinReplicaService
{
    /// <inheritdoc />
    public Task ApplyAsync(TwinReplicaBatch batch)
    {
        replica.Receive(batch);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long?> GetClusterLowAsync() => Task.FromResult(watermark.ClusterLow);

    /// <inheritdoc />
    public Task RaiseMarkAsync(long mark)
    {
        watermark.RaiseClusterMark(mark);
        return Task.CompletedTask;
    }
}
