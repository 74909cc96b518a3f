namespace CityTwin.Silo;

/// <summary>Settings of one silo. Defaults suit a live server; tests and forks shorten the times.</summary>
public sealed class SiloOptions
{
    /// <summary>A name for logs, metrics and statistics.</summary>
    public string Name { get; set; } = "silo";

    /// <summary>How long a caller waits for a grain call before it fails with <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation idle for longer than this is deactivated (its state written first).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Queued (not yet started) requests one activation may hold before callers get <see cref="GrainOverloadedException"/>.</summary>
    public int MaxQueueLengthPerGrain { get; set; } = 10_000;

    /// <summary>Messages in flight in the whole silo before callers get <see cref="GrainOverloadedException"/>.</summary>
    public long MaxInFlight { get; set; } = 2_000_000;

    /// <summary>Buffered items per external stream subscriber before the oldest are dropped.</summary>
    public int StreamBufferPerSubscriber { get; set; } = 10_000;

    /// <summary>How long a graceful stop waits for activations to deactivate and write their state.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
