namespace CityTwin.TwinApi.Api.Models;

/// <summary>A receptor with the plume spread there and the concentration; sigmas are 0 upwind, where there is no plume.</summary>
/// <param name="DownwindM">Distance along the wind, m.</param>
/// <param name="CrosswindM">Distance across the wind, m.</param>
/// <param name="HeightM">Height above ground, m.</param>
/// <param name="SigmaYM">Horizontal spread sigma-y, m.</param>
/// <param name="SigmaZM">Vertical spread sigma-z, m.</param>
/// <param name="ConcentrationGpm3">Concentration, g/m^3.</param>
public sealed record PlumeReceptorResult(double DownwindM, double CrosswindM, double HeightM, double SigmaYM, double SigmaZM, double ConcentrationGpm3);
