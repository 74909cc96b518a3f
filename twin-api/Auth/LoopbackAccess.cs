namespace CityTwin.TwinApi.Auth;

/// <summary>Endpoint metadata: a caller connecting from a loopback address needs no key; others need the endpoint's role.</summary>
public sealed record LoopbackAccess;
