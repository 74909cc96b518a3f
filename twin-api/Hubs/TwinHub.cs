using System.Text.Json;
using CityTwin.Grains.Twin;
using CityTwin.TwinApi.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// The live-push hub at <c>/hubs/twin</c>. A client subscribes by area id or bounding box, entity types and channels,
/// and the server invokes <c>alert</c>, <c>warning</c>, <c>entityChanged</c>, <c>caseChanged</c> and
/// <c>scenarioProgress</c> on it for items that match any of its subscriptions (once per item, however many match).
/// </summary>
public sealed class TwinHub(HubSubscriptions subscriptions, SiloHost siloHost, TwinDirectory directory) : Hub
{
    /// <summary>The path the hub is mapped at.</summary>
    public const string Path = "/hubs/twin";

    /// <summary>
    /// Subscribes to <c>{ areaId?, bbox?: [minLon, minLat, maxLon, maxLat], types?: [...], channels?: [...] }</c>
    /// (all optional: an empty object or null subscribes to everything) and returns the subscription id.
    /// </summary>
    /// <exception cref="HubException">The request is malformed or names an unknown area, type or channel.</exception>
    public string Subscribe(JsonElement request)
    {
        if (!siloHost.IsReady)
        {
            throw new HubException("The twin is still starting; subscribe again in a moment.");
        }

        SubscriptionFilter filter = SubscriptionRequestParser.Parse(request, directory.Get);
        return subscriptions.Add(Context.ConnectionId, filter);
    }

    /// <summary>Ends one of the caller's subscriptions.</summary>
    /// <exception cref="HubException">The caller holds no subscription with that id.</exception>
    public void Unsubscribe(string subscriptionId)
    {
        if (!subscriptions.Remove(Context.ConnectionId, subscriptionId))
        {
            throw new HubException($"This connection has no subscription '{subscriptionId}'.");
        }
    }

    /// <summary>The caller's subscriptions and pushes: sent, waiting, and dropped because it read too slowly.</summary>
    public HubConnectionStatistics Statistics() => subscriptions.Statistics(Context.ConnectionId);

    /// <inheritdoc />
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await subscriptions.RemoveConnectionAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }
}
