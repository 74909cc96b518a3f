namespace CityTwin.TwinApi.Hubs;

/// <summary>Settings of the live-push hub, bound from the <c>Hub</c> configuration section.</summary>
public sealed class TwinHubOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Hub";

    /// <summary>
    /// At most one <c>entityChanged</c> push per entity per connection in this window; the last change in a window is
    /// pushed when it ends. Zero pushes every change. Default 1 s (<c>Hub:EntityThrottle=00:00:01</c>).
    /// </summary>
    public TimeSpan EntityThrottle { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pushes waiting for one slow connection before the oldest are dropped (and counted). Default 1,000.</summary>
    public int ConnectionQueue { get; set; } = 1_000;

    /// <summary>Subscriptions one connection may hold at once. Default 50.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 50;

    /// <summary>Throws with the setting's name when a value is out of range.</summary>
    public void Validate()
    {
        if (EntityThrottle < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Hub:EntityThrottle is {EntityThrottle}; it must be zero (no throttling) or positive, e.g. 00:00:01.");
        }

        if (ConnectionQueue < 1)
        {
            throw new InvalidOperationException($"Hub:ConnectionQueue is {ConnectionQueue}; it must be at least 1.");
        }

        if (MaxSubscriptionsPerConnection < 1)
        {
            throw new InvalidOperationException($"Hub:MaxSubscriptionsPerConnection is {MaxSubscriptionsPerConnection}; it must be at least 1.");
        }
    }
}
