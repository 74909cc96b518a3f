namespace CityTwin.TwinApi.Hubs;

/// <summary>A live subscription of one connection: its id, what it asks for, and the connection's outbox.</summary>
internal sealed record HubSubscription(string Id, string ConnectionId, SubscriptionFilter Filter, ConnectionOutbox Outbox);
