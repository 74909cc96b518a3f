using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Ingest;
using Microsoft.AspNetCore.Mvc;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// GET /api/sensors/{id}/history: min / mean / max per time bucket, computed from the readings in the event log (the
/// durable record), so history survives restarts and needs no second store.
/// </summary>
public static class SensorEndpoints
{
    /// <summary>The most buckets one request may ask for.</summary>
    public const int MaxBuckets = 10_000;

    private static readonly TimeSpan MinEvery = TimeSpan.FromMinutes(1), MaxEvery = TimeSpan.FromDays(1);

    /// <summary>Maps the sensor history endpoint.</summary>
    public static IEndpointRouteBuilder MapSensorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sensors/{id}/history", GetHistoryAsync).WithName("GetSensorHistory")
            .WithSummary("Readings of a sensor or gauge aggregated per bucket {start, count, min, mean, max}; buckets start at from and step by every (1m..1d).");
        return app;
    }

    /// <summary>Parses a bucket width such as "30m", "5m", "1h", "1d" (a whole number and one of s, m, h, d).</summary>
    public static bool TryParseEvery(string text, out TimeSpan every)
    {
        every = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n <= 0 || n > 1_000_000)
        {
            return false;
        }

        every = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return every > TimeSpan.Zero;
    }

    private static async Task<IResult> GetHistoryAsync(
        TwinDirectory directory, IEventLog eventLog, TimeProvider time, [FromServices] TelemetryRuleOptions? telemetryRules,
        string id, DateTimeOffset? from, DateTimeOffset? to, string? every, CancellationToken ct)
    {
        if (directory.Get(id) is not { Type: EntityType.Sensor or EntityType.Gauge } summary)
        {
            return ApiProblems.NotFound($"No sensor or gauge with id '{id}'.");
        }

        string everyText = every ?? "5m";
        if (!TryParseEvery(everyText, out TimeSpan width) || width < MinEvery || width > MaxEvery)
        {
            return ApiProblems.BadRequest($"every must be a whole number of minutes, hours or days between 1m and 1d, e.g. 5m, 1h (was '{everyText}').", "every");
        }

        DateTimeOffset end = to ?? time.GetUtcNow();
        DateTimeOffset start = from ?? end - TimeSpan.FromDays(1);
        if (start >= end)
        {
            return ApiProblems.BadRequest("from must be before to.", "from");
        }

        long buckets = ((end - start).Ticks + width.Ticks - 1) / width.Ticks;
        if (buckets > MaxBuckets)
        {
            return ApiProblems.BadRequest($"from..to holds {buckets} buckets of {everyText}; at most {MaxBuckets} are allowed. Widen every or narrow the range.", "every");
        }

        TelemetryRuleOptions rules = telemetryRules ?? TelemetryRuleOptions.Default;
        var count = new long[buckets];
        var sum = new double[buckets];
        var min = new double[buckets];
        var max = new double[buckets];
        await foreach (EventRecord e in eventLog.ReadAsync(start, end, TelemetryIngest.ReadingKind, id, ct))
        {
            if (!TryReadValue(e.Payload, rules, out double value))
            {
                continue;
            }

            long b = (e.At - start).Ticks / width.Ticks;
            if (b < 0 || b >= buckets)
            {
                continue;
            }

            if (count[b]++ == 0)
            {
                min[b] = max[b] = value;
            }
            else
            {
                min[b] = Math.Min(min[b], value);
                max[b] = Math.Max(max[b], value);
            }

            sum[b] += value;
        }

        var items = new object[buckets];
        for (long b = 0; b < buckets; b++)
        {
            DateTimeOffset bucketStart = start + TimeSpan.FromTicks(width.Ticks * b);
            items[b] = count[b] == 0
                ? new HistoryBucket(bucketStart, 0, null, null, null)
                : new HistoryBucket(bucketStart, count[b], min[b], sum[b] / count[b], max[b]);
        }

        return Results.Ok(new { id, unit = summary.Unit, from = start, to = end, every = everyText, buckets = items });
    }

    /// <summary>The measured value of a logged reading; false for battery reports, which are not measurements.</summary>
    private static bool TryReadValue(byte[] payload, TelemetryRuleOptions rules, out double value)
    {
        value = 0;
        bool hasValue = false;
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                hasValue = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
            }
            else if (reader.ValueTextEquals("unit"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && string.Equals(reader.GetString(), rules.BatteryUnit, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return hasValue;
    }

    /// <summary>One bucket of a history: its start, the number of readings and their min / mean / max (null when empty).</summary>
    private sealed record HistoryBucket(DateTimeOffset Start, long Count, double? Min, double? Mean, double? Max);
}
