using CityTwin.Grains.Model;

namespace CityTwin.Grains.Cases;

/// <summary>What a stored case looks like to its readers: the full view of one case and its summary in the case list.</summary>
internal static class CaseViews
{
    /// <summary>The list summary of a stored case.</summary>
    public static CaseSummary Summarize(CaseRecord r) => new(
        r.Id, r.Status, r.Source, r.Category, r.Severity, r.Location, r.GridId, r.CommunityId, r.StreetId, r.DistrictId, r.CellId,
        r.Primary?.Id, LevelName(r.Level), r.Overdue, r.ReportedAt, r.UpdatedAt);

    /// <summary>The API name of an escalation level ("grid", "community", "street", "district").</summary>
    public static string LevelName(AreaKind level) => level.ToString().ToLowerInvariant();

    /// <summary>A copy of <paramref name="r"/> for callers (the live record keeps changing in later turns), with the actions allowed.</summary>
    public static CaseView View(CaseRecord r, string[] allowedActions) => new()
    {
        Id = r.Id,
        Status = CaseNames.Of(r.Status),
        Source = CaseNames.Of(r.Source),
        Category = r.Category,
        Department = r.Department,
        Severity = r.Severity,
        Location = r.Location,
        Area = r.Area,
        Description = r.Description,
        PhotoUrls = r.PhotoUrls,
        Contact = r.Contact,
        Reporter = r.Reporter,
        ExternalRef = r.ExternalRef,
        BuildingId = r.BuildingId,
        GridId = r.GridId,
        CommunityId = r.CommunityId,
        StreetId = r.StreetId,
        DistrictId = r.DistrictId,
        CellId = r.CellId,
        ReportedAt = r.ReportedAt,
        UpdatedAt = r.UpdatedAt,
        Level = LevelName(r.Level),
        DueAt = r.DueAt,
        Overdue = r.Overdue,
        Assignee = r.Primary?.Id,
        Units = [.. r.Units],
        StageTimes = new Dictionary<string, DateTimeOffset>(r.StageTimes),
        StageSeconds = new Dictionary<string, double>(r.StageSeconds),
        AlertIds = [.. r.AlertIds],
        AllowedActions = allowedActions,
        Details = r.Details is null ? null : new Dictionary<string, string>(r.Details),
        Timeline = [.. r.Timeline],
    };
}
