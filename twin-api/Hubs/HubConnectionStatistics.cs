namespace CityTwin.TwinApi.Hubs;

/// <summary>What the hub has done for the calling connection: subscriptions held, pushes sent, waiting and dropped.</summary>
/// <param name="Subscriptions">Subscriptions the connection holds.</param>
/// <param name="Sent">Pushes handed to the connection.</param>
/// <param name="Queued">Pushes waiting for the connection.</param>
/// <param name="Dropped">Pushes dropped because the connection read too slowly (oldest first).</param>
public sealed record HubConnectionStatistics(int Subscriptions, long Sent, int Queued, long Dropped);
