namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/models/scs-runoff.</summary>
/// <param name="RainfallMm">Storm rainfall depth P, mm (required, &gt;= 0).</param>
/// <param name="CurveNumber">SCS curve number, 0 &lt; CN &lt;= 100 (required).</param>
public sealed record ScsRunoffRequest(double? RainfallMm, double? CurveNumber);
