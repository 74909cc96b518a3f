using CityTwin.Grains.Cases;

namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/cases: a report from any source (the schema in the OpenAPI document; the endpoint reads it field by field).</summary>
/// <param name="Location">Where: {lon, lat} (WGS84); optional when an area is given (its centroid is used).</param>
/// <param name="Category">A category id of GET /api/cases/categories.</param>
/// <param name="Description">What was seen (up to 4,000 characters).</param>
/// <param name="PhotoUrls">Up to 20 absolute http/https URLs.</param>
/// <param name="Contact">The reporter's name and phone.</param>
/// <param name="Source">Where the report came from (default citizen).</param>
/// <param name="Area">The changed area of a drone or satellite detection, a ring [[lon, lat], ...] (required for those sources).</param>
/// <param name="Reporter">Who reported it.</param>
/// <param name="ExternalRef">The report's id in the system it came from.</param>
/// <param name="BuildingId">The building it concerns, if known.</param>
public sealed record CaseReportBody(
    LonLat? Location,
    string Category,
    string? Description = null,
    string[]? PhotoUrls = null,
    ReporterContact? Contact = null,
    CaseSource Source = CaseSource.Citizen,
    double[][]? Area = null,
    string? Reporter = null,
    string? ExternalRef = null,
    string? BuildingId = null);
