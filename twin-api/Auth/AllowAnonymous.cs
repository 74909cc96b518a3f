namespace CityTwin.TwinApi.Auth;

/// <summary>Endpoint metadata: no key needed (health, the web page).</summary>
public sealed record AllowAnonymous;
