namespace CityTwin.TwinApi.Auth;

/// <summary>API keys and anonymous reading (the "Auth" configuration section), read when the server starts.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Auth";

    /// <summary>True lets callers without a key read; writes always need a key.</summary>
    public bool AllowAnonymousRead { get; set; }

    /// <summary>Key to role name (viewer, operator, planner, admin).</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}
