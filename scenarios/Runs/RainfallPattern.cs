namespace CityTwin.Scenarios.Runs;

/// <summary>How a storm's depth is spread over its duration.</summary>
public enum RainfallPattern
{
    /// <summary>A Chicago design storm peaking at <see cref="RainfallSpec.PeakRatio"/> of the duration.</summary>
    Chicago,

    /// <summary>Constant intensity.</summary>
    Uniform,

    /// <summary>Explicit blocks of (minutes, mm).</summary>
    Blocks,
}
