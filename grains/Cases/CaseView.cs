using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>A snapshot of a case with its whole timeline, as the API returns it (names are the API's kebab-case names).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseView
{
    /// <summary>Case id.</summary>
    public required string Id { get; init; }

    /// <summary>Status name.</summary>
    public required string Status { get; init; }

    /// <summary>Source name.</summary>
    public required string Source { get; init; }

    /// <summary>Category id.</summary>
    public required string Category { get; init; }

    /// <summary>The department owning the case.</summary>
    public required string Department { get; init; }

    /// <summary>Severity.</summary>
    public required string Severity { get; init; }

    /// <summary>Where.</summary>
    public required GeoPoint Location { get; init; }

    /// <summary>A change detection's polygon.</summary>
    public GeoPoint[]? Area { get; init; }

    /// <summary>What was reported.</summary>
    public string? Description { get; init; }

    /// <summary>Photos of the report.</summary>
    public string[] PhotoUrls { get; init; } = [];

    /// <summary>Whom to call back.</summary>
    public Contact? Contact { get; init; }

    /// <summary>Who reported it.</summary>
    public string? Reporter { get; init; }

    /// <summary>The source system's id.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>Building concerned.</summary>
    public string? BuildingId { get; init; }

    /// <summary>Governance grid.</summary>
    public string? GridId { get; init; }

    /// <summary>Community.</summary>
    public string? CommunityId { get; init; }

    /// <summary>Street.</summary>
    public string? StreetId { get; init; }

    /// <summary>District.</summary>
    public string? DistrictId { get; init; }

    /// <summary>Raster cell (heat maps).</summary>
    public string? CellId { get; init; }

    /// <summary>When it was reported (silo clock).</summary>
    public DateTimeOffset ReportedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The level the case is handled at: "grid", then "community", "street", "district" as SLAs are missed.</summary>
    public required string Level { get; init; }

    /// <summary>When the current stage is due, or null (terminal, or no SLA for the stage).</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Whether the current stage is past its SLA.</summary>
    public bool Overdue { get; init; }

    /// <summary>The assignee (primary unit) id, if dispatched.</summary>
    public string? Assignee { get; init; }

    /// <summary>Units sent, current assignment first.</summary>
    public CaseUnit[] Units { get; init; } = [];

    /// <summary>When each status was first entered.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> StageTimes { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Time spent in each stage so far, seconds (summed over reopened rounds).</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Alerts merged into the case (de-duplication), oldest first.</summary>
    public string[] AlertIds { get; init; } = [];

    /// <summary>Actions legal now.</summary>
    public string[] AllowedActions { get; init; } = [];

    /// <summary>Extra facts from the source.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    /// <summary>The whole audit trail, oldest first.</summary>
    public CaseTimelineEntry[] Timeline { get; init; } = [];
}
