namespace CityTwin.Scenarios.Models;

/// <summary>Settings of the cellular flood model; the defaults suit urban overland flow on 10-100 m cells.</summary>
public sealed class FloodModelOptions
{
    /// <summary>Manning roughness n (s/m^1/3); 0.03 is a common overland value between asphalt (0.015) and grass (0.05).</summary>
    public double ManningN { get; init; } = 0.03;

    /// <summary>When true, water leaves the domain across its edges (counted as boundary outflow); closed by default.</summary>
    public bool OpenBoundary { get; init; }

    /// <summary>
    /// Water-level differences and depths at or below this (m) do not move water, so numerically flat water stays
    /// exactly still (WCA2D's tolerance parameter).
    /// </summary>
    public double LevelToleranceM { get; init; } = 1e-5;

    /// <summary>Courant number of the adaptive sub-step, dt = C dx / v_max (fastest flow velocity); in (0, 1].</summary>
    public double CourantNumber { get; init; } = 0.5;

    /// <summary>
    /// Longest routing sub-step, seconds (default 60). Nearly flat shallow water moves slowly, which would allow long
    /// steps, but each sub-step can only halve a level difference; the cap keeps such water levelling at a realistic pace.
    /// </summary>
    public double MaxSubstepSeconds { get; init; } = 60.0;

    /// <summary>Depths (m) whose first crossing time is recorded per cell; 0.15 m (kerb) and 0.5 m by default.</summary>
    public IReadOnlyList<double> DepthThresholdsM { get; init; } = [0.15, 0.5];
}
