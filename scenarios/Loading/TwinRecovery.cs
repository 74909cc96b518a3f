using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Replay;
using CityTwin.Silo.EventLog;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Loading;

/// <summary>
/// Brings a restarted twin's state up to everything its event log acknowledged. Grain state is written behind, so after
/// a crash the stored states miss the readings applied since the last checkpoint; the replay mark
/// (<see cref="IReplayMarkGrain"/>) says which seq every stored state reflects, and the readings logged after it are
/// delivered again in log order. Each grain skips those its stored state already reflects
/// (<see cref="AppliedInputs"/>), so each reading is applied exactly once.
/// </summary>
public static class TwinRecovery
{
    private const int ChunkSize = 5_000;

    /// <summary>Replays the readings logged after the replay mark into the silo whose services are <paramref name="services"/>; returns how many were read.</summary>
    public static async Task<long> ReplayAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        IEventLog log = services.GetRequiredService<IEventLog>();
        IGrainFactory grains = services.GetRequiredService<IGrainFactory>();
        TwinDirectory directory = services.GetRequiredService<TwinDirectory>();
        long mark = await grains.GetGrain<IReplayMarkGrain>(IReplayMarkGrain.Live).GetAsync();
        long highest = mark;
        long read = 0;
        var chunk = new List<EventRecord>(ChunkSize);
        await foreach (EventRecord e in log.ReadAfterAsync(mark, SensorReading.LogKind, cancellationToken).WithCancellation(cancellationToken))
        {
            chunk.Add(e);
            highest = e.Sequence;
            read++;
            if (chunk.Count == ChunkSize)
            {
                await DeliverAsync(grains, directory, chunk);
                chunk.Clear();
            }
        }

        await DeliverAsync(grains, directory, chunk);

        // Everything logged up to here is applied; live deliveries continue above it.
        services.GetRequiredService<DeliveryWatermark>().Start(highest);
        return read;
    }

    /// <summary>One call per grain with its readings in log order, all grains at once.</summary>
    private static async Task DeliverAsync(IGrainFactory grains, TwinDirectory directory, List<EventRecord> chunk)
    {
        var byGrain = new Dictionary<string, List<SensorReading>>(StringComparer.Ordinal);
        foreach (EventRecord e in chunk)
        {
            if (ReplayEngine.TryReadValue(e.Payload, out double value, out string? unit))
            {
                // Replayed in log order, so every earlier logged reading of this grain is already reflected.
                SensorReading reading = new(value, unit, e.At, e.Sequence, e.Sequence - 1);
                if (!byGrain.TryGetValue(e.Key, out List<SensorReading>? readings))
                {
                    byGrain[e.Key] = readings = [];
                }

                readings.Add(reading);
            }
        }

        var calls = new List<Task>(byGrain.Count);
        foreach ((string id, List<SensorReading> readings) in byGrain)
        {
            switch (directory.Get(id)?.Type)
            {
                case EntityType.Gauge:
                    calls.Add(grains.GetGrain<IGaugeGrain>(id).RecordBatchAsync(readings));
                    break;
                case EntityType.Sensor:
                    calls.Add(grains.GetGrain<ISensorGrain>(id).RecordBatchAsync(readings));
                    break;
            }
        }

        await Task.WhenAll(calls);
    }
}
