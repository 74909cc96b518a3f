namespace CityTwin.Scenarios.District;

/// <summary>
/// Mean number of home sensors of each kind per building (Poisson-distributed). Gas, smoke and CO go into
/// every building; SOS buttons and water meters only into homes and care homes, where residents live.
/// </summary>
public sealed record HomeSensorMix
{
    /// <summary>Gas detectors per building.</summary>
    public double Gas { get; init; } = 1.5;

    /// <summary>Smoke alarms per building.</summary>
    public double Smoke { get; init; } = 1.8;

    /// <summary>CO alarms per building.</summary>
    public double CarbonMonoxide { get; init; } = 0.9;

    /// <summary>One-key SOS buttons per residential or care building.</summary>
    public double SosButton { get; init; } = 1.2;

    /// <summary>Smart water meters per residential or care building.</summary>
    public double WaterMeter { get; init; } = 1.2;
}
