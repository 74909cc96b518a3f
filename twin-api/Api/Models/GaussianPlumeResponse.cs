namespace CityTwin.TwinApi.Api.Models;

/// <summary>Result of POST /api/models/gaussian-plume: one entry per requested receptor, in request order.</summary>
/// <param name="Receptors">Spread and concentration at each receptor.</param>
public sealed record GaussianPlumeResponse(IReadOnlyList<PlumeReceptorResult> Receptors);
