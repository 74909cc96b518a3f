using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Api.Models;

/// <summary>The answer of GET /api/alerts: recent alerts and warnings, newest first.</summary>
/// <param name="Items">The alerts.</param>
/// <param name="Count">How many.</param>
public sealed record AlertPage(IReadOnlyList<Alert> Items, int Count);
