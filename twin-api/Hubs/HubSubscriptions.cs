using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// The hub's subscriptions and the outbox of every subscribed connection. Changes (subscribe, unsubscribe, disconnect)
/// take a lock and publish a new <see cref="SubscriptionIndex"/>; the gateway reads the current index without locks.
/// </summary>
public sealed class HubSubscriptions : IAsyncDisposable
{
    private readonly IHubContext<TwinHub> _hub;
    private readonly TimeProvider _time;
    private readonly TwinHubOptions _options;
    private readonly ILogger<HubSubscriptions> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConnectionSubscriptions> _connections = new(StringComparer.Ordinal);
    private volatile SubscriptionIndex _index = SubscriptionIndex.Empty;
    private long _nextId;
    private long _droppedByClosed;

    /// <summary>
    /// The key of the clock the entity throttle runs on (the system clock unless a host registers another under it,
    /// as tests do to move the throttle's windows on explicitly).
    /// </summary>
    public const string ClockKey = "hub-throttle";

    /// <summary>Creates the registry.</summary>
    public HubSubscriptions(IHubContext<TwinHub> hub, [FromKeyedServices(ClockKey)] TimeProvider time, IOptions<TwinHubOptions> options, ILogger<HubSubscriptions> logger)
    {
        _hub = hub;
        _time = time;
        _options = options.Value;
        _options.Validate();
        _logger = logger;
    }

    /// <summary>Pushes dropped so far, over all connections, because clients read too slowly.</summary>
    public long DroppedPushes
    {
        get
        {
            lock (_lock)
            {
                return _droppedByClosed + _connections.Values.Sum(c => c.Outbox.Dropped);
            }
        }
    }

    /// <summary>Subscriptions held, over all connections.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connections.Values.Sum(c => c.Subscriptions.Count);
            }
        }
    }

    /// <summary>The current snapshot for matching pushes.</summary>
    internal SubscriptionIndex Index => _index;

    /// <summary>Adds a subscription for <paramref name="connectionId"/> and returns its id.</summary>
    /// <exception cref="HubException">The connection already holds the most subscriptions allowed.</exception>
    internal string Add(string connectionId, SubscriptionFilter filter)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out ConnectionSubscriptions? connection))
            {
                connection = new ConnectionSubscriptions(new ConnectionOutbox(connectionId, _hub, _time, _options, _logger));
                _connections.Add(connectionId, connection);
            }

            if (connection.Subscriptions.Count >= _options.MaxSubscriptionsPerConnection)
            {
                throw new HubException($"A connection may hold at most {_options.MaxSubscriptionsPerConnection} subscriptions; unsubscribe one first.");
            }

            string id = "sub-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            connection.Subscriptions.Add(new HubSubscription(id, connectionId, filter, connection.Outbox));
            Rebuild();
            return id;
        }
    }

    /// <summary>Removes a subscription of <paramref name="connectionId"/>; false if it holds none with that id.</summary>
    internal bool Remove(string connectionId, string subscriptionId)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out ConnectionSubscriptions? connection) ||
                connection.Subscriptions.RemoveAll(s => s.Id == subscriptionId) == 0)
            {
                return false;
            }

            // The outbox stays until the connection closes: pushes already queued still reach the client.
            Rebuild();
            return true;
        }
    }

    /// <summary>Forgets a closed connection: its subscriptions, queued pushes and throttle windows.</summary>
    internal async Task RemoveConnectionAsync(string connectionId)
    {
        ConnectionSubscriptions? connection;
        lock (_lock)
        {
            if (!_connections.Remove(connectionId, out connection))
            {
                return;
            }

            _droppedByClosed += connection.Outbox.Dropped;
            Rebuild();
        }

        if (connection.Outbox.Dropped > 0)
        {
            _logger.LogInformation("Connection {Connection} closed; {Dropped} pushes were dropped because it read too slowly", connectionId, connection.Outbox.Dropped);
        }

        await connection.Outbox.DisposeAsync();
    }

    /// <summary>Statistics of one connection.</summary>
    internal HubConnectionStatistics Statistics(string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out ConnectionSubscriptions? connection))
            {
                return new HubConnectionStatistics(0, 0, 0, 0);
            }

            (long sent, long dropped, int queued) = connection.Outbox.Statistics();
            return new HubConnectionStatistics(connection.Subscriptions.Count, sent, queued, dropped);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ConnectionSubscriptions[] connections;
        lock (_lock)
        {
            connections = [.. _connections.Values];
            _connections.Clear();
            _index = SubscriptionIndex.Empty;
        }

        foreach (ConnectionSubscriptions connection in connections)
        {
            await connection.Outbox.DisposeAsync();
        }
    }

    private void Rebuild() => _index = SubscriptionIndex.Create(_connections.Values.SelectMany(c => c.Subscriptions).ToArray());

    private sealed class ConnectionSubscriptions(ConnectionOutbox outbox)
    {
        public ConnectionOutbox Outbox { get; } = outbox;

        public List<HubSubscription> Subscriptions { get; } = [];
    }
}
