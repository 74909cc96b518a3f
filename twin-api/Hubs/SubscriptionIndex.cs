using System.Collections.Frozen;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// An immutable snapshot of all subscriptions, grouped by area id so that an item is checked only against the
/// subscriptions of the areas it lies in plus the district-wide ones. Rebuilt on every (rare) subscribe or
/// unsubscribe and read without locks on every (frequent) push.
/// </summary>
internal sealed class SubscriptionIndex
{
    private readonly HubSubscription[] _everywhere;
    private readonly HubSubscription[] _withArea;
    private readonly FrozenDictionary<string, HubSubscription[]> _byArea;

    private SubscriptionIndex(IReadOnlyCollection<HubSubscription> all)
    {
        _everywhere = all.Where(s => s.Filter.AreaId is null).ToArray();
        _withArea = all.Where(s => s.Filter.AreaId is not null).ToArray();
        _byArea = _withArea.GroupBy(s => s.Filter.AreaId!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Channels = all.Aggregate(PushChannels.None, (c, s) => c | s.Filter.Channels);
    }

    /// <summary>No subscriptions.</summary>
    public static SubscriptionIndex Empty { get; } = new([]);

    /// <summary>Every channel some subscription asks for: items on other channels are skipped before any work.</summary>
    public PushChannels Channels { get; }

    /// <summary>Builds a snapshot of <paramref name="subscriptions"/>.</summary>
    public static SubscriptionIndex Create(IReadOnlyCollection<HubSubscription> subscriptions) =>
        subscriptions.Count == 0 ? Empty : new SubscriptionIndex(subscriptions);

    /// <summary>
    /// The outboxes of connections with at least one subscription accepting the item, each once; empty when none.
    /// <paramref name="place"/> null: the item has no place (scenario progress), so area and box do not apply.
    /// </summary>
    public IReadOnlyCollection<ConnectionOutbox> Match(PushChannels channel, EntityType? type, ItemPlace? place)
    {
        if ((Channels & channel) == 0)
        {
            return [];
        }

        HashSet<ConnectionOutbox>? targets = null;
        Collect(_everywhere, channel, type, place, ref targets);
        if (place is not { } p)
        {
            Collect(_withArea, channel, type, place, ref targets);
        }
        else if (p.HasAreaIds)
        {
            CollectArea(p.GridId, channel, type, place, ref targets);
            CollectArea(p.CommunityId, channel, type, place, ref targets);
            CollectArea(p.StreetId, channel, type, place, ref targets);
        }
        else if (p.Position is { } position)
        {
            // No area ids on the item: fall back to the areas' polygons.
            foreach (HubSubscription s in _withArea)
            {
                if (s.Filter.AreaContains(position) && s.Filter.Accepts(channel, type, place))
                {
                    (targets ??= new(ReferenceEqualityComparer.Instance)).Add(s.Outbox);
                }
            }
        }
        else
        {
            // Neither ids nor a position: the area cannot be judged, and a missed push is worse than an extra one.
            Collect(_withArea, channel, type, place, ref targets);
        }

        return targets is null ? [] : targets;
    }

    private void CollectArea(string? areaId, PushChannels channel, EntityType? type, ItemPlace? place, ref HashSet<ConnectionOutbox>? targets)
    {
        if (areaId is not null && _byArea.TryGetValue(areaId, out HubSubscription[]? subs))
        {
            Collect(subs, channel, type, place, ref targets);
        }
    }

    private static void Collect(HubSubscription[] subs, PushChannels channel, EntityType? type, ItemPlace? place, ref HashSet<ConnectionOutbox>? targets)
    {
        foreach (HubSubscription s in subs)
        {
            if (s.Filter.Accepts(channel, type, place))
            {
                (targets ??= new(ReferenceEqualityComparer.Instance)).Add(s.Outbox);
            }
        }
    }
}
