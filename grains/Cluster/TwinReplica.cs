using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using Microsoft.Extensions.Logging;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// The side of this silo's read model that the other silos of a cluster feed: each received batch goes into the
/// directory, the case index and the recent alerts, and onto the peer feeds of <see cref="TwinFeeds"/> for this silo's
/// hub clients. Until the twin of this silo is restored (<see cref="Open"/>) batches are held, so the restore from
/// stored states cannot overwrite a newer change with an older stored one; the oldest are dropped past a bound.
/// </summary>
public sealed partial class TwinReplica(TwinDirectory directory, CaseIndex cases, AlertBus alerts, TwinFeeds feeds, ILogger<TwinReplica> logger)
{
    // At the replicator's cadence (a batch per 25 ms per silo) this holds minutes of changes while a district loads.
    private const int HeldLimit = 10_000;

    private readonly Lock _lock = new();
    private readonly Queue<TwinReplicaBatch> _held = new();
    private bool _open;
    private long _received;
    private long _dropped;

    /// <summary>Items received from other silos and applied.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Batches dropped because too many arrived before this silo's twin was restored.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Applies a batch from another silo, or holds it until <see cref="Open"/>.</summary>
    public void Receive(TwinReplicaBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_lock)
        {
            if (!_open)
            {
                if (_held.Count == HeldLimit)
                {
                    _held.Dequeue();
                    _dropped++;
                }

                _held.Enqueue(batch);
                return;
            }

            // Under the lock, so batches apply one at a time in the order they arrived.
            Apply(batch);
        }
    }

    /// <summary>Applies what arrived so far and every later batch as it arrives; called once this silo's twin is restored or loaded.</summary>
    public void Open()
    {
        lock (_lock)
        {
            while (_held.TryDequeue(out TwinReplicaBatch? batch))
            {
                Apply(batch);
            }

            _open = true;
        }

        if (Dropped > 0)
        {
            LogDropped(logger, Dropped);
        }
    }

    private void Apply(TwinReplicaBatch batch)
    {
        if (directory.IsInitialized)
        {
            foreach (EntitySummary entity in batch.Entities)
            {
                directory.Upsert(entity, publish: false);
                feeds.PeerEntityChanges.Publish(entity);
            }
        }

        foreach (Alert alert in batch.Alerts)
        {
            alerts.AddFromPeer(alert);
        }

        foreach (CaseSummary summary in batch.Cases)
        {
            cases.Upsert(summary);
        }

        foreach (CaseChange change in batch.CaseChanges)
        {
            feeds.PeerCaseChanges.Publish(change);
        }

        Interlocked.Add(ref _received, batch.ItemCount());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dropped} batches of other silos' changes arrived before this silo's twin was restored and were dropped; the entities they changed show their stored state until they change again")]
    private static partial void LogDropped(ILogger logger, long dropped);
}
