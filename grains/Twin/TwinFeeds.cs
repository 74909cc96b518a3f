using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Silo.Feed;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The twin's change feeds of one silo, consumed in-process by the SignalR gateway and the case intake. One set per
/// silo, so a fork's changes never reach the live twin's subscribers.
/// </summary>
public sealed class TwinFeeds(ChangeFeeds feeds)
{
    /// <summary>Alerts and warnings, as <see cref="AlertBus"/> publishes them.</summary>
    public ChangeFeed<Alert> Alerts { get; } = feeds.Create<Alert>("alerts");

    /// <summary>Entity summaries changed by their grains, as <see cref="TwinDirectory"/> publishes them.</summary>
    public ChangeFeed<EntitySummary> EntityChanges { get; } = feeds.Create<EntitySummary>("entity-changes");

    /// <summary>Case changes, published by the case grains once stored.</summary>
    public ChangeFeed<CaseChange> CaseChanges { get; } = feeds.Create<CaseChange>("case-changes");
}
