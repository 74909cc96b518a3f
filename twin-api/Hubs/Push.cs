namespace CityTwin.TwinApi.Hubs;

/// <summary>One message for a client: the method it invokes and its payload, serialised once for every recipient.</summary>
internal readonly record struct Push(string Method, PushPayload Payload);
