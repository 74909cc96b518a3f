using System.ComponentModel.DataAnnotations;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Limits of the HTTP API (the "Api" configuration section), checked when the server starts.</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Api";

    /// <summary>Most readings or positions one batch may carry; a larger batch answers 413 and nothing of it is applied.</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchSize { get; set; } = 10_000;

    /// <summary>How often telemetry delivery resends readings an overloaded grain refused (unset: the ingest's default).</summary>
    [Range(0, 100)]
    public int? TelemetryOverloadRetries { get; set; }

    /// <summary>Readings that may wait for delivery before new batches answer 503 (unset: the ingest's default).</summary>
    [Range(1, long.MaxValue)]
    public long? TelemetryBacklogLimit { get; set; }

    /// <summary>
    /// Whether Orleans' dashboard runs (at /dashboard, for admins): its grain service, its call filter and its sampling of
    /// the silo's meters every second. False leaves all of it out (/dashboard answers 404); durable ingest measured the
    /// same within the noise either way (docs/PERFORMANCE.md).
    /// </summary>
    public bool Dashboard { get; set; } = true;
}
