using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Silo.Feed;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The twin's change feeds of one silo, consumed in-process by the SignalR gateway, the case intake and, in a cluster,
/// the replicator that forwards them to the other silos. One set per silo, so a fork's changes never reach the live
/// twin's subscribers. The changes this silo's grains make and those received from other silos are on separate feeds,
/// so nothing received is forwarded again or opens a second case.
/// </summary>
public sealed class TwinFeeds(ChangeFeeds feeds)
{
    /// <summary>Alerts and warnings, as <see cref="AlertBus"/> publishes them.</summary>
    public ChangeFeed<Alert> Alerts { get; } = feeds.Create<Alert>("alerts");

    /// <summary>Entity summaries changed by their grains, as <see cref="TwinDirectory"/> publishes them.</summary>
    public ChangeFeed<EntitySummary> EntityChanges { get; } = feeds.Create<EntitySummary>("entity-changes");

    /// <summary>Case changes, published by the case grains once stored.</summary>
    public ChangeFeed<CaseChange> CaseChanges { get; } = feeds.Create<CaseChange>("case-changes");

    /// <summary>Alerts raised on the other silos of a cluster, as they reach this one (pushes only: no case is opened for them here).</summary>
    public ChangeFeed<Alert> PeerAlerts { get; } = feeds.Create<Alert>("peer-alerts");

    /// <summary>Entity changes made on the other silos of a cluster, as they reach this one.</summary>
    public ChangeFeed<EntitySummary> PeerEntityChanges { get; } = feeds.Create<EntitySummary>("peer-entity-changes");

    /// <summary>Case changes made on the other silos of a cluster, as they reach this one.</summary>
    public ChangeFeed<CaseChange> PeerCaseChanges { get; } = feeds.Create<CaseChange>("peer-case-changes");
}
