using System.Diagnostics;

namespace CityTwin.TwinApi.Metrics;

/// <summary>
/// Times every query (a GET to a named endpoint under /api) into <see cref="TwinMetrics"/>, after the API key check, so
/// refused calls are not counted, and before the exception handler, so a query that throws is not timed. Streamed answers are written inside the pipeline, so the time includes writing them.
/// </summary>
public sealed class QueryTimingMiddleware(RequestDelegate next, TwinMetrics metrics)
{
    /// <summary>Runs the rest of the pipeline and records the query's duration.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api")
            || context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>() is not { } name)
        {
            await next(context);
            return;
        }

        // A query that throws is answered by the exception handler further out, after this has finished: not timed.
        long start = Stopwatch.GetTimestamp();
        await next(context);
        metrics.RecordQuery(name.EndpointName, context.Response.StatusCode, Stopwatch.GetElapsedTime(start));
    }
}
