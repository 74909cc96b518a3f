namespace CityTwin.TwinApi.Api.Models;

/// <summary>A receptor in plume coordinates: metres downwind of the source, across the wind, and above ground.</summary>
/// <param name="DownwindM">Distance along the wind, m (required; zero or negative means upwind: no plume).</param>
/// <param name="CrosswindM">Distance across the wind, m (default 0).</param>
/// <param name="HeightM">Height above ground, m (default 0, must be &gt;= 0).</param>
public sealed record PlumeReceptorRequest(double? DownwindM, double? CrosswindM, double? HeightM);
