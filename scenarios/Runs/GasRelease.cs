namespace CityTwin.Scenarios.Runs;

/// <summary>Continuous (Gaussian plume) or instantaneous (Gaussian puff) release.</summary>
public enum GasRelease
{
    /// <summary>A steady leak at a rate (g/s).</summary>
    Continuous,

    /// <summary>A mass (g) released at once.</summary>
    Instantaneous,
}
