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
/// Carries this silo's read-model changes to every other silo of a cluster, through Orleans: it observes the changes this
/// silo's grains make (entities, alerts, cases) without a buffer that could lose one, collects them for
/// <see cref="FlushInterval"/> (an entity or case changed twice in that time is sent once, as it is now), and sends each
/// batch to the <see cref="ITwinReplicaService"/> of every active silo. Each silo has a link of its own, so a slow or
/// dying silo delays only its own copy: what it has not taken yet is merged into its next batch (each entity once, as it
/// is now), and a batch it failed to take is sent again until it answers or leaves the cluster. Batches to one silo go one
/// at a time, in order. Only a clustered silo runs it.
/// </summary>
internal sealed partial class TwinReplicator(
    SiloClusterOptions cluster, TwinFeeds feeds, CaseIndex cases, IClusterMembershipService membership, ILocalSiloDetails local,
    ITwinReplicaClient replicas, ILogger<TwinReplicator> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How long changes are collected before they are sent: the floor of cross-silo staleness.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(25);

    // Alerts and case changes held for one silo that does not answer before the oldest are dropped (entities and cases
    // are held as their latest summaries, bounded by the district).
    private const int OrderedPerSilo = 10_000;

    // How long a link waits before it sends a batch again that the silo failed to take.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly Dictionary<SiloAddress, Link> _links = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly PendingChanges _pending = new();
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

        _subscriptions.Add(feeds.EntityChanges.Observe(e => Collect(p => p.Add(e))));
        _subscriptions.Add(feeds.Alerts.Observe(a => Collect(p => p.Add(a))));
        _subscriptions.Add(feeds.CaseChanges.Observe(c => Collect(p =>
        {
            p.Add(c);

            // The case grain replaced the summary before it published the change.
            if (cases.Get(c.CaseId) is { } summary)
            {
                p.Add(summary);
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

    private void Collect(Action<PendingChanges> add)
    {
        lock (_lock)
        {
            add(_pending);
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                UpdateLinks();
                TwinReplicaBatch? batch;
                lock (_lock)
                {
                    batch = _pending.Take(local.Name);
                }

                if (batch is not null)
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
                _links[silo] = new Link(replicas.On(silo), silo, local.Name, logger);
            }
        }
    }

    /// <summary>The changes pending for one other silo and their sender.</summary>
    private sealed class Link
    {
        private readonly Lock _lock = new();
        private readonly PendingChanges _pending = new();

        // A wake-up for the sender: one pending signal is enough, since each send takes everything pending.
        private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sender;

        public Link(ITwinReplicaService target, SiloAddress silo, string source, ILogger logger) =>
            _sender = Task.Run(() => SendAllAsync(target, silo, source, logger));

        public void Send(TwinReplicaBatch batch)
        {
            lock (_lock)
            {
                _pending.Merge(batch);
                _pending.Trim(OrderedPerSilo);
            }

            _wake.Writer.TryWrite(true);
        }

        // What is still pending is not sent: the silo left the cluster, or this one is stopping.
        public Task StopAsync()
        {
            _stop.Cancel();
            _wake.Writer.TryComplete();
            return _sender;
        }

        private async Task SendAllAsync(ITwinReplicaService target, SiloAddress silo, string source, ILogger logger)
        {
            bool failing = false;
            try
            {
                while (await _wake.Reader.WaitToReadAsync(_stop.Token))
                {
                    _wake.Reader.TryRead(out _);
                    TwinReplicaBatch? batch;
                    lock (_lock)
                    {
                        batch = _pending.Take(source);
                    }

                    if (batch is null)
                    {
                        continue;
                    }

                    try
                    {
                        await target.ApplyAsync(batch);
                        if (failing)
                        {
                            LogSendResumed(logger, silo);
                        }

                        failing = false;
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // The silo is busy or going away: the batch is sent again with what comes next, until it answers or
                        // membership drops it. Applying a batch twice is harmless (latest summaries; alerts are known by
                        // identity). Said once per run of failures.
                        lock (_lock)
                        {
                            _pending.PutBack(batch);
                            _pending.Trim(OrderedPerSilo);
                        }

                        if (!failing)
                        {
                            LogSendFailed(logger, silo, batch.ItemCount(), e.Message);
                        }

                        failing = true;
                        await Task.Delay(RetryDelay, _stop.Token);
                        _wake.Writer.TryWrite(true);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changes for silo {Silo} not delivered yet ({Count} items); sending them again until it answers or leaves the cluster: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, SiloAddress silo, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Changes for silo {Silo} delivered again")]
    private static partial void LogSendResumed(ILogger logger, SiloAddress silo);
}
