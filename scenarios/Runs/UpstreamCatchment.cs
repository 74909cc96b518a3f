namespace CityTwin.Scenarios.Runs;

/// <summary>
/// The catchment upstream of the district: the scenario's storm falls on it too, its SCS-CN excess runs off through the
/// SCS triangular unit hydrograph and enters the river at the district's upstream edge.
/// </summary>
/// <param name="AreaKm2">Catchment area, km^2.</param>
/// <param name="CurveNumber">Its composite SCS curve number.</param>
/// <param name="LagHours">Its lag (SCS: about 0.6 times the time of concentration), hours.</param>
public sealed record UpstreamCatchment(double AreaKm2, double CurveNumber, double LagHours);
