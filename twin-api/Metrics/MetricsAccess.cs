namespace CityTwin.TwinApi.Metrics;

/// <summary>Who may read /metrics (<c>Metrics:Access</c>).</summary>
public enum MetricsAccess
{
    /// <summary>Callers with an admin API key (the default): the metrics describe the whole server.</summary>
    Admin,

    /// <summary>Any caller connecting from a loopback address (a scraper on the same host), or with an admin key.</summary>
    Loopback,
}
