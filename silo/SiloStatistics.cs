namespace CityTwin.Silo;

/// <summary>A snapshot of a silo's counters, as shown by the API's health endpoint.</summary>
public sealed record SiloStatistics(
    string Name,
    string Status,
    TimeSpan Uptime,
    int Activations,
    long ActivationsCreated,
    long Deactivations,
    long MessagesProcessed,
    double MessagesPerSecond,
    long InFlight,
    long QueuedMessages,
    long Overloads,
    long Timeouts,
    long UnobservedFailures,
    int Reminders,
    long StreamItemsDropped,
    long StorageWrites,
    long StorageBatches,
    long StorageReads,
    long StorageFailures,
    double StorageMeanBatchMs);
