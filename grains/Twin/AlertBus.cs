using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Publishes alerts and warnings of one silo: to the alerts feed of <see cref="TwinFeeds"/> (SignalR, case intake) and to
/// a bounded list of recent alerts for the API, which in a cluster also holds the alerts of the other silos. One per
/// silo, so a fork's alerts never reach the live twin's subscribers.
/// </summary>
public sealed class AlertBus(TwinFeeds feeds)
{
    private const int RecentCapacity = 10_000;
    private readonly Lock _lock = new();
    private readonly Queue<Alert> _recent = new();
    private long _published;

    /// <summary>Alerts published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes an alert; never waits for subscribers (the feed buffers per subscriber).</summary>
    public Task PublishAsync(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Remember(alert);
        Interlocked.Increment(ref _published);
        feeds.Alerts.Publish(alert);
        return Task.CompletedTask;
    }

    /// <summary>Keeps an alert raised on another silo of the cluster among the recent ones and pushes it; opens no case.</summary>
    public void AddFromPeer(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Remember(alert);
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
        lock (_lock)
        {
            if (_recent.Count == RecentCapacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(alert);
        }
    }
}
