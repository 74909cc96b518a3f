namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/models/gaussian-plume: a continuous point source and the receptors to evaluate.</summary>
/// <param name="SourceRateGps">Emission rate, g/s (required, &gt;= 0).</param>
/// <param name="SourceHeightM">Effective release height, m (required, &gt;= 0).</param>
/// <param name="WindSpeedMps">Wind speed at release height, m/s (required, &gt; 0).</param>
/// <param name="Stability">Pasquill-Gifford class "A" to "F" (required).</param>
/// <param name="Dispersion">"pasquill-gifford" (default), "briggs-rural" or "briggs-urban".</param>
/// <param name="Receptors">Points in plume coordinates, 1 to 10,000 (required).</param>
public sealed record GaussianPlumeRequest(
    double? SourceRateGps,
    double? SourceHeightM,
    double? WindSpeedMps,
    string? Stability,
    string? Dispersion,
    IReadOnlyList<PlumeReceptorRequest?>? Receptors);
