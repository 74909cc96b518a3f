using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Replay;
using CityTwin.Silo.EventLog;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Loading;

/// <summary>
/// Brings a restarted twin's state up to everything its event log acknowledged. Grain state is written behind, so after
/// a crash the stored states miss the readings and positions applied since the last checkpoint; the replay mark
/// (<see cref="IReplayMarkGrain"/>) says which seq every stored state reflects, and the inputs logged after it are
/// delivered again in log order. Each grain skips those its stored state already reflects
/// (<see cref="AppliedInputs"/>), so each input is applied exactly once.
/// </summary>
public static class TwinRecovery
{
    private const int ChunkSize = 5_000;

    /// <summary>
    /// Replays the readings and position reports logged after the replay mark into the silo whose services are
    /// <paramref name="services"/>; returns how many were read.
    /// </summary>
    public static async Task<long> ReplayAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        IEventLog log = services.GetRequiredService<IEventLog>();
        IGrainFactory grains = services.GetRequiredService<IGrainFactory>();
        TwinDirectory directory = services.GetRequiredService<TwinDirectory>();
        DeliveryWatermark watermark = services.GetRequiredService<DeliveryWatermark>();
        long mark = await grains.GetGrain<IReplayMarkGrain>(IReplayMarkGrain.Live).GetAsync();

        // One silo replays before it takes inputs, so each replayed input finds every earlier one of its grain applied
        // (low = seq - 1). In a cluster the other silos deliver inputs meanwhile, some below a replayed one, so a replayed
        // input only vouches for the mark.
        long? low = watermark.Clustered ? mark : null;
        long highest = mark;
        long read = 0;

        // Sensors and gauges take only readings, vehicles only positions: each kind is replayed in log order on its own.
        foreach (string kind in new[] { SensorReading.LogKind, VehiclePosition.LogKind })
        {
            var chunk = new List<EventRecord>(ChunkSize);
            await foreach (EventRecord e in log.ReadAfterAsync(mark, kind, cancellationToken).WithCancellation(cancellationToken))
            {
                chunk.Add(e);
                highest = Math.Max(highest, e.Sequence);
                read++;
                if (chunk.Count == ChunkSize)
                {
                    await DeliverAsync(grains, directory, chunk, low);
                    chunk.Clear();
                }
            }

            await DeliverAsync(grains, directory, chunk, low);
        }

        if (watermark.Clustered)
        {
            // This silo's own seqs come from leases of its own, below or above what it replayed: its low is its own ingest's.
            watermark.RaiseClusterMark(mark);
        }
        else
        {
            // Everything logged up to here is applied; live deliveries continue above it.
            watermark.Start(highest);
        }
        return read;
    }

    /// <summary>
    /// One call per grain with its inputs in log order, all grains at once; each input with <paramref name="low"/>, or
    /// without it seq - 1 (every earlier logged input of the grain is already reflected).
    /// </summary>
    private static async Task DeliverAsync(IGrainFactory grains, TwinDirectory directory, List<EventRecord> chunk, long? low)
    {
        var readings = new Dictionary<string, List<SensorReading>>(StringComparer.Ordinal);
        var positions = new Dictionary<string, List<VehiclePosition>>(StringComparer.Ordinal);
        foreach (EventRecord e in chunk)
        {
            if (e.Kind == SensorReading.LogKind && ReplayEngine.TryReadValue(e.Payload, out double value, out string? unit))
            {
                ListOf(readings, e.Key).Add(new SensorReading(value, unit, e.At, e.Sequence, low ?? e.Sequence - 1));
            }
            else if (e.Kind == VehiclePosition.LogKind && ReplayEngine.TryReadPosition(e.Payload, e.At, out VehiclePosition? position))
            {
                ListOf(positions, e.Key).Add(position! with { LogSeq = e.Sequence, LogLow = low ?? e.Sequence - 1 });
            }
        }

        var calls = new List<Task>(readings.Count + positions.Count);
        foreach ((string id, List<SensorReading> list) in readings)
        {
            switch (directory.Get(id)?.Type)
            {
                case EntityType.Gauge:
                    calls.Add(grains.GetGrain<IGaugeGrain>(id).RecordBatchAsync(list));
                    break;
                case EntityType.Sensor:
                    calls.Add(grains.GetGrain<ISensorGrain>(id).RecordBatchAsync(list));
                    break;
            }
        }

        foreach ((string id, List<VehiclePosition> list) in positions)
        {
            if (directory.Get(EntityType.Vehicle, id) is not null)
            {
                calls.Add(grains.GetGrain<IVehicleGrain>(id).RecordPositionsAsync(list));
            }
        }

        await Task.WhenAll(calls);
    }

    private static List<T> ListOf<T>(Dictionary<string, List<T>> lists, string key)
    {
        if (!lists.TryGetValue(key, out List<T>? list))
        {
            lists[key] = list = [];
        }

        return list;
    }
}
