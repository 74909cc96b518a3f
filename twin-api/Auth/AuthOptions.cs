namespace CityTwin.TwinApi.Auth;

/// <summary>API keys and anonymous reading (the "Auth" configuration section), read when the server starts.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Auth";

    /// <summary>True lets callers without a key read; writes always need a key.</summary>
    public bool AllowAnonymousRead { get; set; }

    /// <summary>Key to role name (viewer, operator, planner, admin), optionally followed by <c>:&lt;name&gt;</c> (who acts in the audit trail).</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>False drops the demo profile's keys (<see cref="ApiKeys.DemoKeys"/>) from <see cref="Keys"/>; the keys you add stay.</summary>
    public bool DemoKeys { get; set; } = true;

    /// <summary>
    /// True lets a server listening on an address other than loopback start with the demo keys or anonymous reading;
    /// without it such a server refuses to start (anyone who can reach it could use the public demo keys).
    /// </summary>
    public bool AllowDemoOffLoopback { get; set; }
}
