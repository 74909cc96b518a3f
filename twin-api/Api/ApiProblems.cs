using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CityTwin.TwinApi.Hosting;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Api;

/// <summary>RFC 7807 answers shared by the endpoints.</summary>
public static class ApiProblems
{
    /// <summary>
    /// Reads the body as JSON for an endpoint, the one place request bodies are decoded. Gives the document (the caller
    /// disposes it) or a 400 problem: the body is not UTF-8, not well-formed JSON, has a key twice in one object (which
    /// value would count is a guess, so neither does), or has text that is not valid Unicode (an escaped lone surrogate
    /// such as "\ud800", which no store or log can hold as text).
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is long length and > 0 and < 1 << 20 ? (int)length : 0);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        ReadOnlyMemory<byte> body = new(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (body.Span.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        if (!Utf8.IsValid(body.Span))
        {
            return (null, BadRequest($"The request body is not UTF-8 text: invalid bytes at offset {InvalidUtf8Offset(body.Span)}."));
        }

        JsonDocument document;
        try
        {
            // The document keeps a reference to the buffer (no copy); the buffer lives as long as the document.
            document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return (null, MalformedJson(e.Message));
        }

        // Only an escape (\uXXXX) can spell a lone surrogate in text that is valid UTF-8.
        if (body.Span.IndexOf("\\u"u8) >= 0 && FindInvalidText(document.RootElement, "$") is { } path)
        {
            document.Dispose();
            return (null, BadRequest($"{path} is not valid Unicode text (a lone surrogate escape such as \\ud800).", path));
        }

        return (document, null);
    }

    /// <summary>
    /// Reads a batch body: a JSON array of <paramref name="shape"/>, or an object holding it under <paramref name="property"/>.
    /// Gives the document (the caller disposes it) and the array, or a problem: 400 when the body is not JSON or not
    /// such an array, 413 when it has more items than Api:MaxBatchSize (nothing is applied then).
    /// </summary>
    public static async Task<(JsonDocument? Document, JsonElement Batch, IResult? Problem)> ReadBatchAsync(
        HttpRequest request, string property, string shape, CancellationToken cancellationToken)
    {
        int maxBatch = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBatchSize;
        (JsonDocument? doc, IResult? unreadable) = await ReadJsonAsync(request, cancellationToken);
        if (doc is null)
        {
            return (null, default, unreadable);
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

    /// <summary>400 for a body that is not JSON; <paramref name="reason"/> is the parser's account of where and why.</summary>
    public static IResult MalformedJson(string reason) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: $"The request body is not well-formed JSON: {reason}");

    /// <summary>400 with a detail and, optionally, the offending field.</summary>
    public static IResult BadRequest(string detail, string? field = null) => field is null
        ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail)
        : Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail, title: "Bad request");

    /// <summary>The JSON path of the first string or property name that does not decode to valid UTF-16, or null.</summary>
    private static string? FindInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (FindInvalidText(item, $"{path}[{index++}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!Decodes(() => property.Name))
                    {
                        return path;
                    }

                    if (FindInvalidText(property.Value, $"{path}.{property.Name}") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> text)
    {
        int offset = 0;
        while (Rune.DecodeFromUtf8(text[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>404 naming what was not found.</summary>
    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);
}
