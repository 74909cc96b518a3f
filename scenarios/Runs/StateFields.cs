using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Reads named numbers of an entity: its summary's properties first, then its grain's full state by field name (the
/// state's own shape, flat or nested, does not matter), so runners need no knowledge of grain state classes.
/// </summary>
internal sealed class StateFields
{
    private readonly EntitySummary _summary;
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.OrdinalIgnoreCase);

    private StateFields(EntitySummary summary, EntityDetails? details)
    {
        _summary = summary;
        if (details is not null)
        {
            Collect(details.ReadState(), 0);
        }
    }

    /// <summary>Reads an entity's fields; the grain is only called when the summary lacks one of <paramref name="needed"/>.</summary>
    public static async Task<StateFields> ReadAsync(IGrainFactory grains, EntitySummary summary, params string[] needed)
    {
        if (needed.All(n => SummaryFields.Number(summary, n) is not null))
        {
            return new StateFields(summary, null);
        }

        EntityDetails? details = await Grain(grains, summary).GetDetailsAsync();
        return new StateFields(summary, details);
    }

    /// <summary>A number by field name, or null.</summary>
    public double? Number(string name) =>
        SummaryFields.Number(_summary, name) ?? (_fields.TryGetValue(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null);

    private static ITwinEntityGrain Grain(IGrainFactory grains, EntitySummary summary) => summary.Type switch
    {
        EntityType.Building => grains.GetGrain<IBuildingGrain>(summary.Id),
        EntityType.Gauge => grains.GetGrain<IGaugeGrain>(summary.Id),
        EntityType.Sensor => grains.GetGrain<ISensorGrain>(summary.Id),
        EntityType.Vehicle => grains.GetGrain<IVehicleGrain>(summary.Id),
        EntityType.Responder => grains.GetGrain<IResponderGrain>(summary.Id),
        EntityType.Cell => grains.GetGrain<ICellGrain>(summary.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(summary), summary.Type, "No entity grain reads this type."),
    };

    private void Collect(JsonElement e, int depth)
    {
        if (e.ValueKind != JsonValueKind.Object || depth > 4)
        {
            return;
        }

        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                Collect(p.Value, depth + 1);
            }
            else
            {
                _fields.TryAdd(p.Name, p.Value);
            }
        }
    }
}
