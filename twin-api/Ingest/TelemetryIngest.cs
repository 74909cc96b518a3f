using System.Globalization;
using System.Text.Json;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The telemetry ingest path shared by the HTTP API and the load driver: validate each reading, append the valid
/// ones to the event log in one durable batch, and only then acknowledge them. A reading is never acknowledged
/// before its append has committed, so a crash after the answer loses nothing.
/// </summary>
public sealed class TelemetryIngest(SiloHost host)
{
    /// <summary>The event-log kind of sensor readings.</summary>
    public const string ReadingKind = "reading";

    /// <summary>Parses a JSON array of readings, keeping the valid ones and an error for each invalid one.</summary>
    public static (List<ReadingInput> Valid, List<ItemError> Errors) Parse(JsonElement batch)
    {
        var valid = new List<ReadingInput>(batch.GetArrayLength());
        var errors = new List<ItemError>();
        int index = 0;
        foreach (JsonElement item in batch.EnumerateArray())
        {
            string? id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("sensorId", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            string? error = Validate(item, id, out ReadingInput? reading);
            if (error is null)
            {
                valid.Add(reading!);
            }
            else
            {
                errors.Add(new ItemError(index, id, error));
            }

            index++;
        }

        return (valid, errors);
    }

    /// <summary>Appends valid readings to the event log (all or none) and returns once they are committed.</summary>
    public async Task AppendAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return;
        }

        var entries = new EventAppend[readings.Count];
        for (int i = 0; i < readings.Count; i++)
        {
            ReadingInput r = readings[i];
            entries[i] = new EventAppend(r.At, ReadingKind, r.SensorId, JsonSerializer.SerializeToUtf8Bytes(new ReadingPayload(r.Value, r.Unit), JsonSerializerOptions.Web));
        }

        await host.Store.EventLog.AppendBatchAsync(entries, cancellationToken);
    }

    private static string? Validate(JsonElement item, string? id, out ReadingInput? reading)
    {
        reading = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            return "each reading must be an object {sensorId, value, unit?, at}";
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return "sensorId is required and must be a non-empty string";
        }

        if (id.Length > 200)
        {
            return "sensorId is longer than 200 characters";
        }

        if (!item.TryGetProperty("value", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            return "value is required and must be a finite number";
        }

        string? unit = null;
        if (item.TryGetProperty("unit", out JsonElement u) && u.ValueKind != JsonValueKind.Null)
        {
            if (u.ValueKind != JsonValueKind.String)
            {
                return "unit must be a string";
            }

            unit = u.GetString();
        }

        if (!item.TryGetProperty("at", out JsonElement a) || a.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
        {
            return "at is required and must be an ISO 8601 timestamp";
        }

        if (at.Year < 2000 || at.Year > 2100)
        {
            return "at is outside the years 2000-2100";
        }

        reading = new ReadingInput(id, value, unit, at.ToUniversalTime());
        return null;
    }

    private sealed record ReadingPayload(double Value, string? Unit);
}
