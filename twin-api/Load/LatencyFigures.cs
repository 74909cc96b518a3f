namespace CityTwin.TwinApi.Load;

/// <summary>Percentiles of a latency distribution in milliseconds (exact, from every sample).</summary>
public sealed record LatencyFigures(long Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanMs)
{
    /// <summary>No samples.</summary>
    public static LatencyFigures Empty { get; } = new(0, 0, 0, 0, 0, 0);
}
