namespace CityTwin.TwinApi.Auth;

/// <summary>Endpoint metadata: the least role an endpoint needs (default: viewer for reads, operator for writes).</summary>
public sealed record RequiredRole(Role Role);
