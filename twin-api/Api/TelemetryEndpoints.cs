using System.Text.Json;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Hosting;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Api;

/// <summary>POST /api/telemetry (durable ingest) and GET /api/events (reading the event log back).</summary>
public static class TelemetryEndpoints
{
    /// <summary>Maps the telemetry and event-log endpoints.</summary>
    public static IEndpointRouteBuilder MapTelemetryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/telemetry", async (HttpRequest request, TelemetryIngest ingest, IConfiguration config, CancellationToken ct) =>
        {
            int maxBatch = config.GetValue("Api:MaxBatchSize", 10_000);
            JsonDocument? doc = await ApiProblems.ReadJsonAsync(request, ct);
            if (doc is null)
            {
                return ApiProblems.MalformedJson();
            }

            using (doc)
            {
                JsonElement batch = doc.RootElement;
                if (batch.ValueKind == JsonValueKind.Object && batch.TryGetProperty("readings", out JsonElement inner))
                {
                    batch = inner;
                }

                if (batch.ValueKind != JsonValueKind.Array)
                {
                    return ApiProblems.BadRequest("The body must be a JSON array of readings {sensorId, value, unit?, at} (or an object with a 'readings' array).");
                }

                if (batch.GetArrayLength() > maxBatch)
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status413PayloadTooLarge,
                        title: "Batch too large",
                        detail: $"The batch has {batch.GetArrayLength()} readings; the limit is {maxBatch} (Api:MaxBatchSize). Nothing was applied.");
                }

                (List<ReadingInput> valid, List<ItemError> errors) = TelemetryIngest.Parse(batch);
                await ingest.AppendAsync(valid, ct);
                return Results.Json(new IngestResult(valid.Count, errors.Count, errors), statusCode: StatusCodes.Status202Accepted);
            }
        }).WithName("PostTelemetry");

        app.MapGet("/api/events", async (SiloHost host, DateTimeOffset? from, DateTimeOffset? to, string? kind, string? key, int? limit, long? after, CancellationToken ct) =>
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
            await foreach (EventRecord e in host.Store.EventLog.ReadAsync(start, end, kind, key, ct))
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
        }).WithName("GetEvents");
        return app;
    }
}
