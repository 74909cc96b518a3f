namespace CityTwin.Silo;

/// <summary>Options of a grain timer (Orleans: GrainTimerCreationOptions).</summary>
public readonly record struct GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>When true, ticks may interleave with running requests; by default they queue like requests.</summary>
    public bool Interleave { get; init; }

    /// <summary>When true, ticks count as activity and keep the grain from idle collection.</summary>
    public bool KeepAlive { get; init; }
}
