namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/models/muskingum.</summary>
/// <param name="InflowM3s">Inflow hydrograph, m^3/s, one value per time step (required, 2 to 10,000 values, each &gt;= 0).</param>
/// <param name="DtHours">Time step, hours (required; 2Kx &lt;= dt &lt;= 2K(1 - x)).</param>
/// <param name="KHours">Storage constant K, hours (required, &gt; 0).</param>
/// <param name="X">Weighting factor x, 0 to 0.5 (required).</param>
/// <param name="InitialOutflowM3s">Outflow at the first time step, m^3/s (&gt;= 0; default the first inflow).</param>
public sealed record MuskingumRequest(IReadOnlyList<double?>? InflowM3s, double? DtHours, double? KHours, double? X, double? InitialOutflowM3s);
