using System.Threading.Channels;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// Carries this silo's read-model changes to every other silo of a cluster, through Orleans: it subscribes to the
/// changes this silo's grains make (entities, alerts, cases), collects them for <see cref="FlushInterval"/> (an entity
/// or case changed twice in that time is sent once, as it is now), and sends each batch to the
/// <see cref="ITwinReplicaService"/> of every active silo. Each silo has a queue and a sender of its own, so a slow or
/// dying silo delays only its own copy; batches to one silo go one at a time, in order. Only a clustered silo runs it.
/// </summary>
internal sealed partial class TwinReplicator(
    SiloClusterOptions cluster, TwinFeeds feeds, CaseIndex cases, IClusterMembershipService membership, ILocalSiloDetails local,
    ITwinReplicaClient replicas, ILogger<TwinReplicator> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How long changes are collected before they are sent: the floor of cross-silo staleness.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(25);

    // Batches queued for one silo before the oldest are dropped (a silo that far behind is dying or gone).
    private const int QueuePerSilo = 2_000;

    private readonly Lock _lock = new();
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly Dictionary<SiloAddress, Link> _links = [];
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<string, EntitySummary> _entities = new(StringComparer.Ordinal);
    private Dictionary<string, CaseSummary> _cases = new(StringComparer.Ordinal);
    private List<Alert> _alerts = [];
    private List<CaseChange> _caseChanges = [];
    private Task? _loop;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TwinReplicator), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        if (!cluster.IsClustered)
        {
            return Task.CompletedTask;
        }

        _subscriptions.Add(feeds.EntityChanges.Subscribe(e => Collect(() => _entities[e.Id] = e)));
        _subscriptions.Add(feeds.Alerts.Subscribe(a => Collect(() => _alerts.Add(a))));
        _subscriptions.Add(feeds.CaseChanges.Subscribe(c => Collect(() =>
        {
            _caseChanges.Add(c);

            // The case grain replaced the summary before it published the change.
            if (cases.Get(c.CaseId) is { } summary)
            {
                _cases[summary.Id] = summary;
            }
        })));
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }

        foreach (IAsyncDisposable subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }

        await _stopping.CancelAsync();
        await _loop;

        // A batch still on its way to a silo that hangs would hold the stop until its response timeout.
        await Task.WhenAny(Task.WhenAll(_links.Values.Select(l => l.StopAsync())), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
    }

    private Task Collect(Action add)
    {
        lock (_lock)
        {
            add();
        }

        return Task.CompletedTask;
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                UpdateLinks();
                if (Take() is { } batch)
                {
                    foreach (Link link in _links.Values)
                    {
                        link.Send(batch);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private TwinReplicaBatch? Take()
    {
        lock (_lock)
        {
            if (_entities.Count == 0 && _alerts.Count == 0 && _cases.Count == 0 && _caseChanges.Count == 0)
            {
                return null;
            }

            var batch = new TwinReplicaBatch(local.Name, [.. _entities.Values], [.. _alerts], [.. _cases.Values], [.. _caseChanges]);
            _entities = new(StringComparer.Ordinal);
            _cases = new(StringComparer.Ordinal);
            _alerts = [];
            _caseChanges = [];
            return batch;
        }
    }

    // One link per other active silo: a silo that joins gets changes from its first flush on, one that leaves is dropped.
    private void UpdateLinks()
    {
        var active = new HashSet<SiloAddress>();
        foreach (ClusterMember member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && !member.SiloAddress.Equals(local.SiloAddress))
            {
                active.Add(member.SiloAddress);
            }
        }

        foreach (SiloAddress gone in _links.Keys.Where(a => !active.Contains(a)).ToArray())
        {
            _ = _links[gone].StopAsync();
            _links.Remove(gone);
        }

        foreach (SiloAddress silo in active)
        {
            if (!_links.ContainsKey(silo))
            {
                _links[silo] = new Link(replicas.On(silo), silo, logger);
            }
        }
    }

    /// <summary>The queue and sender of one other silo.</summary>
    private sealed class Link
    {
        private readonly Channel<TwinReplicaBatch> _queue = Channel.CreateBounded<TwinReplicaBatch>(
            new BoundedChannelOptions(QueuePerSilo) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        private readonly Task _sender;
        private volatile bool _stopped;

        public Link(ITwinReplicaService target, SiloAddress silo, ILogger logger) =>
            _sender = Task.Run(() => SendAllAsync(target, silo, logger));

        public void Send(TwinReplicaBatch batch) => _queue.Writer.TryWrite(batch);

        // What is still queued is not sent: the silo left the cluster, or this one is stopping.
        public Task StopAsync()
        {
            _stopped = true;
            _queue.Writer.TryComplete();
            return _sender;
        }

        private async Task SendAllAsync(ITwinReplicaService target, SiloAddress silo, ILogger logger)
        {
            bool failing = false;
            await foreach (TwinReplicaBatch batch in _queue.Reader.ReadAllAsync())
            {
                if (_stopped)
                {
                    return;
                }

                try
                {
                    await target.ApplyAsync(batch);
                    failing = false;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The silo is going away (membership will drop it) or was too busy: its copy of these changes is lost,
                    // and the entities show their next change there. Said once per run of failures.
                    if (!failing)
                    {
                        LogSendFailed(logger, silo, batch.ItemCount(), e.Message);
                    }

                    failing = true;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changes for silo {Silo} not delivered ({Count} items, and any more until it answers again): {Reason}")]
    private static partial void LogSendFailed(ILogger logger, SiloAddress silo, int count, string reason);
}
