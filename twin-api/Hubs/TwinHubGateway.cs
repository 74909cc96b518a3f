using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo.Feed;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// Forwards the live silo's change feeds to hub clients: once the twin is ready it subscribes to the alerts,
/// entity-changes and case-changes feeds of <see cref="TwinFeeds"/> (those of this silo's grains and, in a cluster, those
/// received from the other silos through Orleans) and to scenario progress, matches each item against
/// the subscription index, serialises it once if anyone wants it, and queues it in the outbox of each matching
/// connection. It never awaits a client, so a slow client cannot make a feed's buffer overflow for everyone else.
/// </summary>
public sealed class TwinHubGateway(
    SiloHost siloHost, TwinFeeds feeds, HubSubscriptions subscriptions, IHostApplicationLifetime lifetime, ILogger<TwinHubGateway> logger,
    ChangeFeed<ScenarioProgress>? scenarioProgress = null) : IHostedService
{
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private readonly Lock _lock = new();
    private CancellationTokenRegistration _onStarted;
    private bool _stopped;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (siloHost.IsReady)
        {
            Subscribe();
        }
        else
        {
            // Every hosted service has started (the silo and the twin's startup with them) by ApplicationStarted; the load
            // of a district is not pushed to clients.
            _onStarted = lifetime.ApplicationStarted.Register(SubscribeOnStarted);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _onStarted.DisposeAsync();
        IAsyncDisposable[] subscriptions;
        lock (_lock)
        {
            _stopped = true;
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (IAsyncDisposable subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    private void SubscribeOnStarted()
    {
        try
        {
            Subscribe();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "The hub gateway could not subscribe to the silo's feeds; clients will get no pushes");
        }
    }

    private void Subscribe()
    {
        lock (_lock)
        {
            // Subscribing only adds a buffer to the feed, so it is done under the lock: a stop either comes first (and
            // nothing is subscribed) or finds every subscription to dispose.
            if (_stopped || _subscriptions.Count > 0)
            {
                return;
            }

            // Entity changes (one per reading) are not even buffered while no client subscribes to them.
            bool EntityChangesWanted() => (subscriptions.Index.Channels & PushChannels.EntityChanged) != 0;
            _subscriptions.Add(feeds.Alerts.Subscribe(OnAlert));
            _subscriptions.Add(feeds.EntityChanges.Subscribe(OnEntityChanged, EntityChangesWanted));
            _subscriptions.Add(feeds.CaseChanges.Subscribe(OnCaseChanged));

            // In a cluster, what the other silos' grains changed reaches this silo's clients the same way.
            _subscriptions.Add(feeds.PeerAlerts.Subscribe(OnAlert));
            _subscriptions.Add(feeds.PeerEntityChanges.Subscribe(OnEntityChanged, EntityChangesWanted));
            _subscriptions.Add(feeds.PeerCaseChanges.Subscribe(OnCaseChanged));
            if (scenarioProgress is not null)
            {
                _subscriptions.Add(scenarioProgress.Subscribe(OnScenarioProgress));
            }
        }
    }

    private Task OnAlert(Alert alert)
    {
        bool warning = string.Equals(alert.Channel, "warning", StringComparison.OrdinalIgnoreCase);
        PushChannels channel = warning ? PushChannels.Warning : PushChannels.Alert;
        var place = new ItemPlace(alert.Position, alert.GridId, alert.CommunityId, alert.StreetId);
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(channel, alert.EntityType, place);
        if (targets.Count > 0)
        {
            // One payload for every subscriber, whatever their role: recipients' names and phone numbers stay on the REST side.
            var push = new Push(warning ? "warning" : "alert", PushPayload.From(Api.PersonalData.Withhold(alert)));
            foreach (ConnectionOutbox target in targets)
            {
                target.Enqueue(push);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnEntityChanged(EntitySummary summary)
    {
        var place = new ItemPlace(summary.Position, summary.GridId, summary.CommunityId, summary.StreetId);
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(PushChannels.EntityChanged, summary.Type, place);
        if (targets.Count > 0)
        {
            var push = new Push("entityChanged", PushPayload.From(summary));
            foreach (ConnectionOutbox target in targets)
            {
                target.EnqueueEntityChange(summary.Id, push);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnCaseChanged(CaseChange change)
    {
        if ((subscriptions.Index.Channels & PushChannels.CaseChanged) == 0)
        {
            return Task.CompletedTask;
        }

        var place = new ItemPlace(change.Location, change.GridId, change.CommunityId, change.StreetId);
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(PushChannels.CaseChanged, null, place);
        if (targets.Count > 0)
        {
            var push = new Push("caseChanged", PushPayload.From(change));
            foreach (ConnectionOutbox target in targets)
            {
                target.Enqueue(push);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnScenarioProgress(ScenarioProgress progress)
    {
        IReadOnlyCollection<ConnectionOutbox> targets = subscriptions.Index.Match(PushChannels.ScenarioProgress, null, null);
        if (targets.Count > 0)
        {
            var push = new Push("scenarioProgress", PushPayload.From(progress));
            foreach (ConnectionOutbox target in targets)
            {
                target.Enqueue(push);
            }
        }

        return Task.CompletedTask;
    }
}
