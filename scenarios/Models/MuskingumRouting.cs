namespace CityTwin.Scenarios.Models;

/// <summary>A routed hydrograph: the outflow at every inflow time, its peak and when it occurs, and the coefficients used.</summary>
/// <param name="Outflow">Outflow per time step, same unit as the inflow.</param>
/// <param name="PeakOutflow">Largest outflow.</param>
/// <param name="PeakAt">Time of the (first) largest outflow from the start, in the time step's unit.</param>
/// <param name="C0">Weight of the new inflow.</param>
/// <param name="C1">Weight of the previous inflow.</param>
/// <param name="C2">Weight of the previous outflow.</param>
public sealed record MuskingumRouting(IReadOnlyList<double> Outflow, double PeakOutflow, double PeakAt, double C0, double C1, double C2);
