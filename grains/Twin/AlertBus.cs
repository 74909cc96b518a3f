using System.Text.Json;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using CityTwin.Silo.EventLog;
using Microsoft.Extensions.Logging;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Publishes alerts and warnings of one silo: to the event log (kind <see cref="Alert.LogKind"/>), to the alerts feed of
/// <see cref="TwinFeeds"/> (SignalR, case intake) and to a bounded list of recent alerts for the API, which in a cluster
/// also holds the alerts of the other silos (<see cref="AddFromPeer"/>; the silo that raised one logged it). One per
/// silo, so a fork's alerts never reach the live twin's subscribers (a fork has an event log of its own). A restarting
/// silo reads the recent alerts back from the log (<see cref="RestoreAsync"/>), so the alert of a sensor still in alarm
/// is still listed, in any silo that reads the same log.
/// </summary>
public sealed class AlertBus(TwinFeeds feeds, IEventLog log, ILogger<AlertBus> logger)
{
    /// <summary>How many recent alerts are kept (and read back at start).</summary>
    public const int RecentCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Queue<Alert> _recent = new();

    // The alerts read back at start and those received from peers: an input replayed after a crash (or after the silo
    // that raised them died) raises what it raised before, which is published once. Only listed alerts are kept here.
    private readonly HashSet<AlertIdentity> _known = [];
    private long _published;

    /// <summary>Alerts published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>
    /// Publishes an alert: logs it, lists it and hands it to the feed (which buffers per subscriber, so this never waits
    /// for them). An alert identical to one read back at start (same channel, kind, entity and time: an input replayed
    /// after a crash raised it again) is not published a second time.
    /// </summary>
    public async Task PublishAsync(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            if (_known.Remove(AlertIdentity.Of(alert)))
            {
                return;
            }

            Remember(alert);
        }

        try
        {
            await log.AppendAsync(new EventAppend(alert.At, Alert.LogKind, alert.EntityId, JsonSerializer.SerializeToUtf8Bytes(alert, TwinJson.Options)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // People must hear of the alarm even when the log cannot take it; only the listing after a restart misses it.
            logger.LogWarning(e, "Alert {Alert} ({Kind}) could not be logged; it is published but will not be listed after a restart", alert.Id, alert.Kind);
        }

        Interlocked.Increment(ref _published);
        feeds.Alerts.Publish(alert);
    }

    /// <summary>
    /// Lists again the latest <see cref="RecentCapacity"/> alerts of the event log, without publishing them (they were
    /// delivered when raised); returns how many. Call at start, before inputs are replayed.
    /// </summary>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken = default)
    {
        int restored = 0;
        await foreach (EventRecord record in log.ReadLatestAsync(Alert.LogKind, RecentCapacity, cancellationToken).WithCancellation(cancellationToken))
        {
            Alert? alert;
            try
            {
                alert = JsonSerializer.Deserialize<Alert>(record.Payload, TwinJson.Options);
            }
            catch (JsonException e)
            {
                logger.LogWarning(e, "Logged alert {Sequence} is not readable; skipped", record.Sequence);
                continue;
            }

            if (alert is null)
            {
                continue;
            }

            lock (_lock)
            {
                if (_known.Add(AlertIdentity.Of(alert)))
                {
                    Remember(alert);
                    restored++;
                }
            }
        }

        return restored;
    }

    /// <summary>
    /// Keeps an alert raised on another silo of the cluster among the recent ones and pushes it; opens no case and does
    /// not log it (the raising silo did). One already listed (read back from the log) is not listed twice, and the same
    /// alert raised here again by a replay after that silo died is not published again.
    /// </summary>
    public void AddFromPeer(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_lock)
        {
            if (!_known.Add(AlertIdentity.Of(alert)))
            {
                return;
            }

            Remember(alert);
        }

        feeds.PeerAlerts.Publish(alert);
    }

    /// <summary>The most recent alerts, newest first, optionally filtered.</summary>
    public IReadOnlyList<Alert> Recent(Func<Alert, bool>? filter = null, int limit = 100)
    {
        lock (_lock)
        {
            return _recent.Reverse().Where(a => filter is null || filter(a)).Take(limit).ToArray();
        }
    }

    private void Remember(Alert alert)
    {
        if (_recent.Count == RecentCapacity)
        {
            _known.Remove(AlertIdentity.Of(_recent.Dequeue()));
        }

        _recent.Enqueue(alert);
    }

    private readonly record struct AlertIdentity(string Channel, string Kind, EntityType EntityType, string EntityId, long AtMicroseconds)
    {
        // To the microsecond: the event log keeps input times to the microsecond, so a replayed reading's alert carries
        // the time truncated, while the logged alert kept the full one.
        public static AlertIdentity Of(Alert a) => new(a.Channel, a.Kind, a.EntityType, a.EntityId, a.At.UtcTicks / 10);
    }
}
