using System.Text.Json.Serialization;

namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The answer to a batch of vehicle positions: accepted items are durable in the event log; rejected ones have an error
/// each. <see cref="Undelivered"/> lists accepted items the live twin could not apply yet (for example an overloaded
/// grain); they stay in the event log and are applied on replay. Omitted when every accepted item was applied.
/// </summary>
public sealed record VehicleIngestResult(
    int Accepted,
    int Rejected,
    IReadOnlyList<ItemError> Errors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ItemError>? Undelivered = null);
