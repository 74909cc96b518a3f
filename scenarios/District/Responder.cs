using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>A grid worker carrying a handheld terminal, assigned to one governance grid.</summary>
/// <param name="Id">Grain key, e.g. <c>responder-3-2-1-1</c>.</param>
/// <param name="Name">Full name.</param>
/// <param name="Phone">Phone number.</param>
/// <param name="TerminalId">Handheld terminal id, e.g. <c>HT-000042</c>.</param>
/// <param name="GridId">Assigned grid.</param>
/// <param name="Position">Starting position inside the grid, WGS84.</param>
public sealed record Responder(string Id, string Name, string Phone, string TerminalId, string GridId, GeoPoint Position);
