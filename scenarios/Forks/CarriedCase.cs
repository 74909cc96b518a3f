namespace CityTwin.Scenarios.Forks;

/// <summary>An open case of the live twin carried over into a fork, as it stood when the fork was made.</summary>
/// <param name="Id">Case id.</param>
/// <param name="Category">Category id.</param>
/// <param name="Status">Stage (kebab-case, as the case API writes it).</param>
/// <param name="Severity">Severity of its category.</param>
/// <param name="Level">Area level handling it (grid, community, street, district).</param>
/// <param name="Overdue">Whether its stage was overdue.</param>
/// <param name="ReportedAt">When it was reported.</param>
public sealed record CarriedCase(string Id, string Category, string Status, string Severity, string Level, bool Overdue, DateTimeOffset ReportedAt);
