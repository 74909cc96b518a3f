namespace CityTwin.TwinApi.Api.Models;

/// <summary>Result of POST /api/models/scs-runoff (TR-55 curve-number method), all in millimetres.</summary>
/// <param name="RunoffMm">Direct runoff Q.</param>
/// <param name="RetentionMm">Potential maximum retention S = 25400 / CN - 254.</param>
/// <param name="InitialAbstractionMm">Initial abstraction Ia = 0.2 S.</param>
public sealed record ScsRunoffResponse(double RunoffMm, double RetentionMm, double InitialAbstractionMm);
