using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// A gas leak: the source (a sensor or building id, or a selector such as <c>@residential-gas-sensor</c>), the release,
/// and the weather. Wind left null comes from the nearest wind sensor's latest reading; direction defaults to the
/// prevailing north-easterly. Stability comes from wind and insolation by day or cloud cover by night unless given.
/// </summary>
public sealed record GasSpec(
    string Source,
    GasSubstance Substance,
    GasRelease Release,
    double RateGps,
    double MassG,
    double SourceHeightM,
    double? WindSpeedMps,
    double WindFromDegrees,
    StabilityClass? Stability,
    Insolation Insolation,
    int? NightCloudOktas,
    DispersionScheme Dispersion);
