using System.ComponentModel.DataAnnotations;

namespace CityTwin.Silo;

/// <summary>
/// Settings of one silo (the "Silo" configuration section), mapped onto Orleans' own options by
/// <see cref="SiloSetup.UseCityTwin"/>. Defaults suit a live server; tests and forks shorten the times. The ranges are
/// checked when the server starts.
/// </summary>
public sealed class SiloOptions
{
    /// <summary>A name for logs, metrics and statistics (Orleans' silo name).</summary>
    [Required]
    public string Name { get; set; } = "live";

    /// <summary>Orleans' cluster id; a fork or sandbox gets one of its own so it never joins the live cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "citytwin";

    /// <summary>Silo-to-silo port on loopback; 0 picks a free port when the silo starts.</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>Gateway port for external Orleans clients; 0 picks a free port, -1 opens no gateway.</summary>
    [Range(-1, 65535)]
    public int GatewayPort { get; set; } = -1;

    /// <summary>How long a caller waits for a grain call (Orleans' ResponseTimeout) before it fails with a TimeoutException.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation idle for longer than this is deactivated, its changed state written first (Orleans' CollectionAge).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for (Orleans' CollectionQuantum).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Requests one activation may hold queued before callers get Orleans' LimitExceededException, which the API answers
    /// with 503 and Retry-After (Orleans' MaxEnqueuedRequestsHardLimit).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxQueueLengthPerGrain { get; set; } = 10_000;

    /// <summary>Buffered items per push subscriber (the SignalR gateway) before the oldest are dropped and counted.</summary>
    [Range(1, int.MaxValue)]
    public int FeedBufferPerSubscriber { get; set; } = 10_000;

    /// <summary>
    /// How often the live silo writes every changed state and moves the replay mark up (0 turns it off): after a crash, a
    /// restart replays the readings logged since the last such checkpoint. Not used by silos on a virtual clock.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful stop waits for activations to deactivate and write their changed state.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
