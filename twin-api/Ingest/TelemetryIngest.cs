using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The telemetry ingest path shared by the HTTP API and the load driver: validate each reading (including that its
/// sensorId names a sensor or gauge of the twin), append the valid ones to the event log in one durable batch, then
/// deliver them to their grains and wait until every grain has applied them. A reading is never acknowledged before
/// its append has committed (a crash after the answer loses nothing), and an acknowledged reading is visible to the
/// very next query (the grains update the read model inside the turn that applies it).
/// </summary>
public sealed class TelemetryIngest(SiloHost host)
{
    /// <summary>The event-log kind of sensor readings.</summary>
    public const string ReadingKind = "reading";

    // Overload is transient (a burst filled a grain's queue); a few short waits (20, 60, 180, 540 ms) usually see it
    // drain. After that the caller gets 503 with Retry-After rather than an unbounded wait.
    private const int OverloadRetries = 4;

    /// <summary>Parses a JSON array of readings and rejects, besides malformed items, readings whose sensorId is not a sensor or gauge of the twin.</summary>
    public (List<ReadingInput> Valid, List<ItemError> Errors) Validate(JsonElement batch) => Parse(batch, Directory);

    /// <summary>
    /// Ingests readings that were already parsed (the load driver's path): rejects unknown sensor ids (the error's index is
    /// the reading's position in <paramref name="readings"/>), appends the rest, delivers them and reports.
    /// </summary>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        TwinDirectory directory = Directory;
        List<ItemError>? errors = null;
        List<ReadingInput>? known = null;
        for (int i = 0; i < readings.Count; i++)
        {
            if (IsKnown(directory, readings[i].SensorId))
            {
                known?.Add(readings[i]);
                continue;
            }

            // Copied only when a reading is rejected: the common all-known batch is passed on as it is.
            known ??= [.. readings.Take(i)];
            (errors ??= []).Add(new ItemError(i, readings[i].SensorId, UnknownSensor(readings[i].SensorId)));
        }

        IReadOnlyList<ReadingInput> accepted = known ?? readings;
        await AppendAsync(accepted, cancellationToken);
        return new IngestResult(accepted.Count, errors?.Count ?? 0, errors ?? []);
    }

    /// <summary>
    /// Appends readings to the event log (all or none), returns once they are committed, then delivers them to their
    /// sensor and gauge grains and returns once every grain applied them. Callers validate ids first
    /// (<see cref="Validate"/>); a reading naming no sensor or gauge is logged but reaches no grain.
    /// </summary>
    /// <exception cref="GrainOverloadedException">The twin stayed overloaded; the readings are logged but not all applied.</exception>
    public async Task AppendAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return;
        }

        await host.Store.EventLog.AppendBatchAsync(ToEntries(readings), cancellationToken);
        await DeliverAsync(readings, cancellationToken);
    }

    private TwinDirectory Directory => host.Silo.Services.GetRequiredService<TwinDirectory>();

    private static string UnknownSensor(string id) => $"unknown sensorId '{id}'";

    private static bool IsKnown(TwinDirectory directory, string id) => directory.Get(id) is { Type: EntityType.Sensor or EntityType.Gauge };

    /// <summary>The readings as event-log entries, their JSON payloads written into one buffer rather than one array each.</summary>
    private static EventAppend[] ToEntries(IReadOnlyList<ReadingInput> readings)
    {
        var buffer = new ArrayBufferWriter<byte>(readings.Count * 32);
        var ends = new int[readings.Count];
        using (var writer = new Utf8JsonWriter(buffer))
        {
            for (int i = 0; i < readings.Count; i++)
            {
                ReadingInput r = readings[i];
                writer.WriteStartObject();
                writer.WriteNumber("value", r.Value);
                if (r.Unit is null)
                {
                    writer.WriteNull("unit");
                }
                else
                {
                    writer.WriteString("unit", r.Unit);
                }

                writer.WriteEndObject();
                writer.Flush();
                writer.Reset(buffer);
                ends[i] = buffer.WrittenCount;
            }
        }

        ReadOnlyMemory<byte> all = buffer.WrittenMemory;
        var entries = new EventAppend[readings.Count];
        int start = 0;
        for (int i = 0; i < readings.Count; i++)
        {
            ReadingInput r = readings[i];
            entries[i] = new EventAppend(r.At, ReadingKind, r.SensorId, all[start..ends[i]]);
            start = ends[i];
        }

        return entries;
    }

    /// <summary>
    /// Sends each grain its readings: one call per grain (most batches name a sensor once; a sensor named several times
    /// gets its readings in one message, in batch order), all calls in flight at once, and waits for all of them.
    /// </summary>
    private async Task DeliverAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        TwinDirectory directory = Directory;
        IGrainFactory grains = host.Silo.GrainFactory;
        var slots = new Dictionary<string, int>(readings.Count, StringComparer.Ordinal);
        var deliveries = new List<Delivery>(readings.Count);
        foreach (ReadingInput r in readings)
        {
            var reading = new SensorReading(r.Value, r.Unit, r.At);
            if (slots.TryGetValue(r.SensorId, out int slot))
            {
                deliveries[slot].Add(reading);
            }
            else if (directory.Get(r.SensorId) is { Type: EntityType.Sensor or EntityType.Gauge } summary)
            {
                slots[r.SensorId] = deliveries.Count;
                deliveries.Add(new Delivery(r.SensorId, summary.Type == EntityType.Gauge, reading));
            }
        }

        var pending = new Task[deliveries.Count];
        for (int i = 0; i < pending.Length; i++)
        {
            pending[i] = deliveries[i].SendAsync(grains);
        }

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Task.WhenAll(pending);
                return;
            }
            catch (GrainOverloadedException) when (attempt < OverloadRetries)
            {
                // Real time, not the silo's clock: the wait is for queues to drain. A rejected call was never queued,
                // so resending exactly the rejected ones applies nothing twice.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * Math.Pow(3, attempt)), cancellationToken);
                for (int i = 0; i < pending.Length; i++)
                {
                    if (pending[i].IsFaulted && pending[i].Exception!.InnerException is GrainOverloadedException)
                    {
                        pending[i] = deliveries[i].SendAsync(grains);
                    }
                }
            }
        }
    }

    private static (List<ReadingInput> Valid, List<ItemError> Errors) Parse(JsonElement batch, TwinDirectory? directory)
    {
        var valid = new List<ReadingInput>(batch.GetArrayLength());
        var errors = new List<ItemError>();
        int index = 0;
        foreach (JsonElement item in batch.EnumerateArray())
        {
            string? id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("sensorId", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            string? error = ValidateItem(item, id, out ReadingInput? reading);
            if (error is null && directory is not null && !IsKnown(directory, id!))
            {
                error = UnknownSensor(id!);
            }

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

    private static string? ValidateItem(JsonElement item, string? id, out ReadingInput? reading)
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

    /// <summary>The readings of one grain in one batch.</summary>
    private sealed class Delivery(string id, bool isGauge, SensorReading first)
    {
        private List<SensorReading>? _more;

        public void Add(SensorReading reading) => (_more ??= [first]).Add(reading);

        public Task SendAsync(IGrainFactory grains)
        {
            if (isGauge)
            {
                IGaugeGrain gauge = grains.GetGrain<IGaugeGrain>(id);
                return _more is null ? gauge.RecordAsync(first) : gauge.RecordBatchAsync(_more);
            }

            ISensorGrain sensor = grains.GetGrain<ISensorGrain>(id);
            return _more is null ? sensor.RecordAsync(first) : sensor.RecordBatchAsync(_more);
        }
    }
}
