using System.Text.Json;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Ingest;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// POST /api/telemetry (validate, log durably, apply to the twin, then answer 202 with per-item errors and the count of
/// readings deferred because the twin was busy; 503 with Retry-After when nothing was acknowledged: the twin overloaded or
/// the event log's database unreachable) and GET /api/events
/// (reading the event log back; operator and above, since case reports in it carry personal data).
/// </summary>
public static class TelemetryEndpoints
{
    /// <summary>Maps the telemetry and event-log endpoints.</summary>
    public static IEndpointRouteBuilder MapTelemetryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/telemetry", async (HttpRequest request, TelemetryIngest ingest, CancellationToken ct) =>
        {
            (JsonDocument? doc, JsonElement batch, IResult? problem) = await ApiProblems.ReadBatchAsync(request, "readings", "readings {sensorId, value, unit?, at}", ct);
            if (problem is not null)
            {
                return problem;
            }

            using (doc)
            {
                (List<ReadingInput> valid, List<ItemError> errors) = ingest.Validate(batch);
                TelemetryIngest.Acceptance acceptance;
                try
                {
                    acceptance = await ingest.AcceptAsync(valid, ct);
                }
                catch (LimitExceededException e)
                {
                    // Refused before the append, so a retry logs each reading once. Answered here rather than by the
                    // exception handler, which clears headers: the client needs Retry-After.
                    request.HttpContext.Response.Headers.RetryAfter = "1";
                    return Results.Problem(
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Twin overloaded",
                        detail: $"Nothing of this batch was logged or applied: {e.Message} Retry the whole batch after 1 s.");
                }
                catch (Exception e) when (StoreOutage.Is(e))
                {
                    // The event log's database is down: the batch was not acknowledged, so the client keeps it and retries.
                    request.HttpContext.Response.Headers.RetryAfter = "1";
                    return Results.Problem(
                        statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Store unavailable",
                        detail: "The event log's database could not be reached, so this batch was not acknowledged and none of it was applied. Retry the whole batch after 1 s.");
                }

                return Results.Json(new IngestResult(valid.Count, errors.Count, errors, acceptance.Deferred, acceptance.Unapplied), statusCode: StatusCodes.Status202Accepted);
            }
        }).WithName("PostTelemetry").Accepts<ReadingInput[]>("application/json").Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("/api/events", async (IEventLog eventLog, DateTimeOffset? from, DateTimeOffset? to, string? kind, string? key, int? limit, long? after, CancellationToken ct) =>
        {
            int take = limit ?? 1000;
            if (take is < 1 or > 10_000)
            {
                return ApiProblems.BadRequest("limit must be between 1 and 10000.", "limit");
            }

            DateTimeOffset start = from ?? DateTimeOffset.MinValue;
            DateTimeOffset end = to ?? DateTimeOffset.MaxValue;
            if (end < start)
            {
                return ApiProblems.BadRequest("to must not be before from.", "to");
            }

            var items = new List<object>(Math.Min(take, 1024));
            long last = 0;
            await foreach (EventRecord e in eventLog.ReadAsync(start, end, kind, key, ct))
            {
                if (after is { } a && e.Sequence <= a)
                {
                    continue;
                }

                items.Add(new { sequence = e.Sequence, at = e.At, kind = e.Kind, key = e.Key, payload = JsonDocument.Parse(e.Payload).RootElement });
                last = e.Sequence;
                if (items.Count == take)
                {
                    break;
                }
            }

            return Results.Ok(new { items, next = items.Count == take ? last : (long?)null });
        }).WithName("GetEvents").RequireRole(Role.Operator); // case reports in the log carry reporters' names and phone numbers
        return app;
    }
}
