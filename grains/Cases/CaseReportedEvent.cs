using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>A case was reported (sent to the aggregates of its areas and cell).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CaseReportedEvent(string CaseId, DateTimeOffset ReportedAt, string Source, string Category, string? CellId);
