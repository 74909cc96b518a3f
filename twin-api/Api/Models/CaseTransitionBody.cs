using CityTwin.Grains.Cases;

namespace CityTwin.TwinApi.Api.Models;

/// <summary>Body of POST /api/cases/{id}/transitions (the schema in the OpenAPI document; the endpoint reads it field by field).</summary>
/// <param name="Action">What is done.</param>
/// <param name="Actor">Who does it (required).</param>
/// <param name="Note">A note (up to 4,000 characters).</param>
/// <param name="Evidence">Up to 20 absolute http/https URLs.</param>
/// <param name="Assignee">The responder a dispatch assigns, instead of the nearest able one.</param>
/// <param name="ExpectedSequence">The timeline length the caller saw; a case that moved on since answers 409.</param>
public sealed record CaseTransitionBody(
    CaseAction Action,
    string Actor,
    string? Note = null,
    string[]? Evidence = null,
    string? Assignee = null,
    int? ExpectedSequence = null);
