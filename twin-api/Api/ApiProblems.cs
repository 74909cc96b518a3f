using System.Text.Json;

namespace CityTwin.TwinApi.Api;

/// <summary>RFC 7807 answers shared by the endpoints.</summary>
public static class ApiProblems
{
    /// <summary>Reads the body as JSON; null when it is not well-formed JSON.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>400 for a body that is not JSON.</summary>
    public static IResult MalformedJson() => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: "The request body is not well-formed JSON.");

    /// <summary>400 with a detail and, optionally, the offending field.</summary>
    public static IResult BadRequest(string detail, string? field = null) => field is null
        ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail)
        : Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail, title: "Bad request");

    /// <summary>404 naming what was not found.</summary>
    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);
}
