namespace CityTwin.TwinApi.Api.Models;

/// <summary>Result of POST /api/models/muskingum: the routed outflow, its peak, and the routing coefficients.</summary>
/// <param name="OutflowM3s">Outflow per time step, m^3/s.</param>
/// <param name="PeakOutflowM3s">Largest outflow, m^3/s.</param>
/// <param name="PeakAtHours">Time of the largest outflow from the first step, hours.</param>
/// <param name="C0">Weight of the new inflow, (dt - 2Kx) / (2K(1 - x) + dt).</param>
/// <param name="C1">Weight of the previous inflow, (dt + 2Kx) / (2K(1 - x) + dt).</param>
/// <param name="C2">Weight of the previous outflow, (2K(1 - x) - dt) / (2K(1 - x) + dt).</param>
public sealed record MuskingumResponse(IReadOnlyList<double> OutflowM3s, double PeakOutflowM3s, double PeakAtHours, double C0, double C1, double C2);
