namespace CityTwin.TwinApi.Api.Models;

/// <summary>How to reach the reporter of a case.</summary>
/// <param name="Name">Name (up to 200 characters).</param>
/// <param name="Phone">Phone (up to 40 characters).</param>
public sealed record ReporterContact(string? Name, string? Phone);
