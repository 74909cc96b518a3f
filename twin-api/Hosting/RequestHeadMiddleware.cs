using System.Text;
using System.Text.Unicode;
using CityTwin.TwinApi.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Refuses, with problem details, a request whose line or headers are over <see cref="RequestHeadLimits"/> (414, 431)
/// or that has a header value that is not UTF-8 (400), before anything else reads the request. Kestrel hands header
/// values over as Latin-1 (<see cref="RequestHeadLimits.ConfigureKestrel"/>), so a value's characters are its bytes:
/// a value of UTF-8 text is replaced by its decoding (what Kestrel gives by default), and one that is not is refused.
/// </summary>
public sealed class RequestHeadMiddleware(RequestDelegate next)
{
    /// <summary>Checks the request line and the headers, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        IResult? problem = LineProblem(context) ?? HeaderProblem(context.Request.Headers);
        return problem is null ? next(context) : problem.ExecuteAsync(context);
    }

    private static IResult? LineProblem(HttpContext context)
    {
        HttpRequest request = context.Request;
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value + request.QueryString.Value;

        // As Kestrel counts: method, space, target, space, version, CR LF.
        long length = request.Method.Length + 1L + target.Length + 1 + request.Protocol.Length + 2;
        return length <= RequestHeadLimits.MaxRequestLineBytes
            ? null
            : Results.Problem(
                statusCode: StatusCodes.Status414UriTooLong,
                title: "Request line too long",
                detail: $"The request line is {length} bytes; the limit is {RequestHeadLimits.MaxRequestLineBytes}. Send long filters in a request body where the endpoint takes one, or narrow the query.");
    }

    private static IResult? HeaderProblem(IHeaderDictionary headers)
    {
        long bytes = 0;
        int lines = 0;
        List<(string Name, StringValues Decoded)>? decoded = null;
        foreach ((string name, StringValues values) in headers)
        {
            string?[]? texts = null;
            for (int i = 0; i < values.Count; i++)
            {
                string value = values[i] ?? string.Empty;
                lines++;
                bytes += name.Length + 2 + value.Length + 2;
                if (Ascii.IsValid(value))
                {
                    continue;
                }

                byte[] raw = Encoding.Latin1.GetBytes(value);
                if (!Utf8.IsValid(raw))
                {
                    return ApiProblems.BadRequest($"The value of the header '{name}' is not UTF-8 text.");
                }

                texts ??= values.ToArray();
                texts[i] = Encoding.UTF8.GetString(raw);
            }

            if (texts is not null)
            {
                (decoded ??= []).Add((name, new StringValues(texts)));
            }
        }

        if (lines > RequestHeadLimits.MaxHeaderCount || bytes > RequestHeadLimits.MaxHeaderBytes)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge,
                title: "Request headers too large",
                detail: $"The request has {lines} header lines of {bytes} bytes; the limits are {RequestHeadLimits.MaxHeaderCount} lines and {RequestHeadLimits.MaxHeaderBytes} bytes.");
        }

        foreach ((string name, StringValues value) in decoded ?? [])
        {
            headers[name] = value;
        }

        return null;
    }
}
