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

    /// <summary>
    /// Reads a batch body: a JSON array of <paramref name="shape"/>, or an object holding it under <paramref name="property"/>.
    /// Gives the document (the caller disposes it) and the array, or a problem: 400 when the body is not JSON or not
    /// such an array, 413 when it has more items than Api:MaxBatchSize (nothing is applied then).
    /// </summary>
    public static async Task<(JsonDocument? Document, JsonElement Batch, IResult? Problem)> ReadBatchAsync(
        HttpRequest request, IConfiguration configuration, string property, string shape, CancellationToken cancellationToken)
    {
        int maxBatch = configuration.GetValue("Api:MaxBatchSize", 10_000);
        JsonDocument? doc = await ReadJsonAsync(request, cancellationToken);
        if (doc is null)
        {
            return (null, default, MalformedJson());
        }

        JsonElement batch = doc.RootElement;
        if (batch.ValueKind == JsonValueKind.Object && batch.TryGetProperty(property, out JsonElement inner))
        {
            batch = inner;
        }

        IResult? problem = null;
        if (batch.ValueKind != JsonValueKind.Array)
        {
            problem = BadRequest($"The body must be a JSON array of {shape} (or an object with a '{property}' array).");
        }
        else if (batch.GetArrayLength() > maxBatch)
        {
            problem = Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Batch too large",
                detail: $"The batch has {batch.GetArrayLength()} {property}; the limit is {maxBatch} (Api:MaxBatchSize). Nothing was applied.");
        }

        if (problem is not null)
        {
            doc.Dispose();
            return (null, default, problem);
        }

        return (doc, batch, null);
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
