namespace CityTwin.TwinApi.Load;

/// <summary>Memory of the measured process: resident set (peak and at the end) and the managed heap.</summary>
public sealed record MemoryFigures(
    string Scope,
    long PeakRssBytes,
    long RssAtEndBytes,
    long ManagedHeapAtEndBytes,
    long GcHeapSizeBytes,
    long GcCommittedBytes);
