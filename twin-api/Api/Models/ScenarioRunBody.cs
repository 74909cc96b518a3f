using System.Text.Json;

namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/scenarios/runs: exactly one of a stock scenario's name or an inline definition (docs/SCENARIOS.md).</summary>
/// <param name="Stock">A name of GET /api/scenarios/stock.</param>
/// <param name="Definition">An inline scenario, as in a scenario file.</param>
/// <param name="Snapshot">A district file in Scenarios:SnapshotDirectory to fork instead of the live twin.</param>
public sealed record ScenarioRunBody(string? Stock = null, JsonElement? Definition = null, string? Snapshot = null);
