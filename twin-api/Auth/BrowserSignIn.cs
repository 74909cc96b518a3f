namespace CityTwin.TwinApi.Auth;

/// <summary>
/// Endpoint metadata: a missing or unknown key is answered with an HTTP Basic challenge, so a browser asks for the key
/// (as the password) and then sends it with every request of the page, including those the page's own script makes
/// without a key (the Orleans dashboard).
/// </summary>
public sealed record BrowserSignIn;
