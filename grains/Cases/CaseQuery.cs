namespace CityTwin.Grains.Cases;

/// <summary>Filters of the case list; null matches everything. <see cref="Area"/> matches any level (grid to district).</summary>
public sealed record CaseQuery(
    CaseStatus? Status = null, string? Area = null, string? Category = null, CaseSource? Source = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Assignee = null);
