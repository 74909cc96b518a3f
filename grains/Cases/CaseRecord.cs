using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Cases;

/// <summary>The persistent state of a case grain. The timeline is append-only; every other field follows from it and the report.</summary>
public sealed class CaseRecord
{
    /// <summary>True once the case was reported.</summary>
    public bool Created { get; set; }

    /// <summary>Case id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Status.</summary>
    public CaseStatus Status { get; set; }

    /// <summary>Source.</summary>
    public CaseSource Source { get; set; }

    /// <summary>Category id.</summary>
    public string Category { get; set; } = "";

    /// <summary>Owning department.</summary>
    public string Department { get; set; } = "";

    /// <summary>Severity.</summary>
    public string Severity { get; set; } = "";

    /// <summary>Location.</summary>
    public GeoPoint Location { get; set; }

    /// <summary>Change-detection polygon.</summary>
    public GeoPoint[]? Area { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary>Report photos.</summary>
    public string[] PhotoUrls { get; set; } = [];

    /// <summary>Call-back contact.</summary>
    public Contact? Contact { get; set; }

    /// <summary>Reporter.</summary>
    public string? Reporter { get; set; }

    /// <summary>Source system id.</summary>
    public string? ExternalRef { get; set; }

    /// <summary>Building.</summary>
    public string? BuildingId { get; set; }

    /// <summary>Grid.</summary>
    public string? GridId { get; set; }

    /// <summary>Community.</summary>
    public string? CommunityId { get; set; }

    /// <summary>Street.</summary>
    public string? StreetId { get; set; }

    /// <summary>District.</summary>
    public string DistrictId { get; set; } = "";

    /// <summary>Cell.</summary>
    public string? CellId { get; set; }

    /// <summary>Source details.</summary>
    public Dictionary<string, string>? Details { get; set; }

    /// <summary>Reported at (silo clock).</summary>
    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the current stage began.</summary>
    public DateTimeOffset StageEnteredAt { get; set; }

    /// <summary>When the current stage is due (null: no SLA).</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>When the next SLA escalation is due (the stage's due time, then one SLA period after each escalation).</summary>
    public DateTimeOffset? NextEscalationAt { get; set; }

    /// <summary>The current stage is past its SLA.</summary>
    public bool Overdue { get; set; }

    /// <summary>Some stage went past its SLA.</summary>
    public bool EverOverdue { get; set; }

    /// <summary>Handling level: grid, community, street, district.</summary>
    public AreaKind Level { get; set; } = AreaKind.Grid;

    /// <summary>Units sent, current primary first.</summary>
    public List<CaseUnit> Units { get; set; } = [];

    /// <summary>First time each status was entered.</summary>
    public Dictionary<string, DateTimeOffset> StageTimes { get; set; } = [];

    /// <summary>Seconds spent per stage.</summary>
    public Dictionary<string, double> StageSeconds { get; set; } = [];

    /// <summary>Alerts merged into the case.</summary>
    public List<string> AlertIds { get; set; } = [];

    /// <summary>When the last alert was merged (de-duplication window).</summary>
    public DateTimeOffset? LastAlertAt { get; set; }

    /// <summary>The audit trail.</summary>
    public List<CaseTimelineEntry> Timeline { get; set; } = [];

    /// <summary>The primary unit, if any.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CaseUnit? Primary => Units.Find(u => u.Role == "primary");
}
