using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>The persistent state of a <see cref="BuildingGrain"/>: its definition, the sensors in alarm and its evacuation state.</summary>
public sealed class BuildingState : ITwinEntityState
{
    /// <summary>The static description; null until initialised.</summary>
    public BuildingDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of building <paramref name="key"/>; ids the read model already holds are shared.</summary>
    public void Initialize(BuildingDefinition definition, string key, TwinDirectory directory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition with
        {
            Id = TwinEntityStates.SharedId(definition.Id, key),
            CellId = TwinEntityStates.SharedId(directory, definition.CellId)!,
            GridId = TwinEntityStates.SharedId(directory, definition.GridId)!,
            CommunityId = TwinEntityStates.SharedId(directory, definition.CommunityId)!,
            StreetId = TwinEntityStates.SharedId(directory, definition.StreetId)!,
        };
        UpdatedAt = at;
    }

    /// <summary>When the building's live state last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Sensors in alarm now, with the alert kind each raised.</summary>
    public Dictionary<string, string> AlarmedSensors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When the current alarm started (null when not in alarm).</summary>
    public DateTimeOffset? AlarmSince { get; set; }

    /// <summary>Evacuation state ("ordered", "inProgress", "complete"), or null.</summary>
    public string? Evacuation { get; set; }

    /// <summary>Alerts raised for the building so far.</summary>
    public long AlertsRaised { get; set; }

    /// <inheritdoc />
    public bool IsInitialized => Definition is not null;

    /// <summary>"alarm" while a sensor is in alarm, else "evacuating" during an evacuation, else "normal".</summary>
    public string Status => AlarmedSensors.Count > 0 ? "alarm" : Evacuation is not null and not "complete" ? "evacuating" : "normal";

    /// <inheritdoc />
    public EntitySummary ToSummary()
    {
        BuildingDefinition d = Definition ?? throw new InvalidOperationException("The building is not initialised.");
        var properties = new SummaryProperties.Builder(7);
        properties.Add("floors", d.Floors);
        properties.Add("households", d.Households);
        properties.Add("occupants", d.Occupants);
        properties.Add("elderly", d.Elderly);
        properties.Add("sensors", d.SensorIds.Length);
        if (Evacuation is not null)
        {
            properties.Add("evacuation", Evacuation);
        }

        if (AlarmedSensors.Count > 0)
        {
            properties.Add("alarms", string.Join(",", AlarmedSensors.Values.Distinct().Order(StringComparer.Ordinal)));
        }

        return new EntitySummary(d.Id, EntityType.Building, d.Use.ToString(), null, Status, d.Centroid, UpdatedAt)
        {
            Shape = d.Footprint,
            GridId = d.GridId,
            CommunityId = d.CommunityId,
            StreetId = d.StreetId,
            CellId = d.CellId,
            Properties = properties.Build(),
        };
    }
}
