using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>The persistent state of a responder: definition, live position, duty and assigned cases.</summary>
public sealed class ResponderState : ITwinEntityState
{
    /// <summary>The static description; null until initialised.</summary>
    public ResponderDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of the responder <paramref name="definition"/> describes, at its start position.</summary>
    public void Initialize(ResponderDefinition definition, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Position = definition.Position;
        UpdatedAt = at;
    }

    /// <summary>The last known position.</summary>
    public GeoPoint Position { get; set; }

    /// <summary>Whether the responder is on duty.</summary>
    public bool OnDuty { get; set; } = true;

    /// <summary>Assigned cases, oldest first.</summary>
    public List<ResponderTask> Tasks { get; set; } = [];

    /// <summary>When the state last changed (silo clock).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <inheritdoc />
    public bool IsInitialized => Definition is not null;

    /// <summary>"off-duty", "available", or the status of the latest task.</summary>
    public string Status => !OnDuty ? "off-duty" : Tasks.Count == 0 ? "available" : Tasks[^1].Status;

    /// <inheritdoc />
    public EntitySummary ToSummary()
    {
        ResponderDefinition d = Definition ?? throw new InvalidOperationException("The responder is not initialised.");
        var properties = new Dictionary<string, object>
        {
            ["skills"] = string.Join(',', d.Skills),
            ["phone"] = d.Phone,
            ["terminalId"] = d.TerminalId,
            ["tasks"] = Tasks.Count,
        };
        if (Tasks.Count > 0)
        {
            properties["caseId"] = Tasks[^1].CaseId;
        }

        return new EntitySummary(d.Id, EntityType.Responder, "grid-worker", d.Name, Status, Position, UpdatedAt)
        {
            GridId = d.GridId,
            CommunityId = d.CommunityId,
            StreetId = d.StreetId,
            Properties = properties,
        };
    }
}
