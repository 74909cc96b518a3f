using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Api;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The telemetry ingest path shared by the HTTP API and the load driver: validate each reading (including that its
/// sensorId names a sensor or gauge of the twin), append the valid ones to the event log in one durable batch, then
/// deliver them to their grains and wait until every grain has applied them. A reading is never acknowledged before
/// its append has committed (a crash after the answer loses nothing), and an acknowledged reading is visible to the
/// very next query (the grains update the read model inside the turn that applies it) unless the answer counts it as
/// deferred.
/// </summary>
/// <remarks>
/// Overload is decided before the append, never after it: a batch is either refused whole with nothing logged (the
/// caller may retry it), or logged and accepted. Readings whose grains stay overloaded after a few short retries are
/// accepted as <em>deferred</em> and delivered in the background until their grains take them; while the readings so
/// waiting reach <c>Api:TelemetryBacklogLimit</c>, new batches are refused before they are logged. This keeps a
/// client that retries on 503 from logging the same readings twice, and bounds the memory the backlog holds.
/// </remarks>
public sealed class TelemetryIngest(
    TwinDirectory directory, IGrainFactory grains, IEventLog eventLog, IConfiguration? configuration = null, ILogger<TelemetryIngest>? logger = null,
    DeliveryWatermark? watermark = null, TelemetryRuleOptions? rules = null)
{
    /// <summary>The event-log kind of sensor readings.</summary>
    public const string ReadingKind = SensorReading.LogKind;

    /// <summary>Deferred readings held for background delivery before new batches are refused (Api:TelemetryBacklogLimit).</summary>
    public const int DefaultBacklogLimit = 100_000;

    // Overload is transient (a burst filled a grain's queue); a few short waits (20, 60, 180, 540 ms) usually see it
    // drain. After that the readings are deferred to the background rather than holding the caller any longer.
    private const int DefaultOverloadRetries = 4;

    private readonly int _overloadRetries = configuration?.GetValue<int?>("Api:TelemetryOverloadRetries") ?? DefaultOverloadRetries;
    private readonly long _backlogLimit = configuration?.GetValue<long?>("Api:TelemetryBacklogLimit") ?? DefaultBacklogLimit;
    private readonly DeliveryWatermark _watermark = watermark ?? new DeliveryWatermark();
    private readonly string _batteryUnit = (rules ?? TelemetryRuleOptions.Default).BatteryUnit;
    private readonly GrainsByKey<ISensorGrain> _sensors = new(grains);
    private readonly GrainsByKey<IGaugeGrain> _gauges = new(grains);
    private long _accepted;
    private long _backlog;
    private long _dropped;

    /// <summary>Readings accepted (durably logged) since the server started, deferred ones included.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Accepted readings waiting for background delivery now.</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    /// <summary>The backlog at which new batches are refused before they are logged (Api:TelemetryBacklogLimit).</summary>
    public long BacklogLimit => _backlogLimit;

    /// <summary>Deferred readings given up because their grain failed with something other than overload (logged; the event log keeps them).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Parses a JSON array of readings and rejects, besides malformed items, readings whose sensorId is not a sensor or
    /// gauge of the twin and values outside the physical range of the sensor's kind (<see cref="PhysicalRange"/>).
    /// </summary>
    public (List<ReadingInput> Valid, List<ItemError> Errors) Validate(JsonElement batch) => Parse(batch, directory, _batteryUnit);

    /// <summary>
    /// Ingests readings that were already parsed (the load driver's path): rejects unknown sensor ids and values out of
    /// physical range (the error's index is the reading's position in <paramref name="readings"/>), accepts the rest as
    /// <see cref="AcceptAsync"/> does and reports.
    /// </summary>
    /// <exception cref="LimitExceededException">The backlog is full; nothing was logged.</exception>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        List<ItemError>? errors = null;
        List<ReadingInput>? known = null;
        for (int i = 0; i < readings.Count; i++)
        {
            if (Refusal(directory, readings[i], _batteryUnit) is not { } error)
            {
                known?.Add(readings[i]);
                continue;
            }

            // Copied only when a reading is rejected: the common all-known batch is passed on as it is.
            known ??= [.. readings.Take(i)];
            (errors ??= []).Add(new ItemError(i, readings[i].SensorId, error));
        }

        IReadOnlyList<ReadingInput> accepted = known ?? readings;
        Acceptance acceptance = await AcceptAsync(accepted, cancellationToken);
        return new IngestResult(accepted.Count, errors?.Count ?? 0, errors ?? [], acceptance.Deferred, acceptance.Unapplied);
    }

    /// <summary>
    /// Accepts readings: refuses the whole batch while the backlog is full (nothing logged), otherwise appends them to the
    /// event log (all or none), returns once they are committed and delivered to their sensor and gauge grains. Returns
    /// how many were deferred (logged and acknowledged, but left for background delivery because their grains stayed
    /// overloaded) and how many failed while their grain applied them (logged, with the grain's error in the server log).
    /// Callers validate ids first (<see cref="Validate"/>); a reading naming no sensor or gauge is logged but reaches no grain.
    /// </summary>
    /// <exception cref="LimitExceededException">The backlog is full; nothing of the batch was logged, so it may be retried.</exception>
    public async Task<Acceptance> AcceptAsync(IReadOnlyList<ReadingInput> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return new Acceptance(0, 0);
        }

        long backlog = Backlog;
        if (backlog >= _backlogLimit)
        {
            throw new LimitExceededException(
                $"{backlog:N0} accepted readings are still waiting for their grains (limit {_backlogLimit:N0}); none of these {readings.Count:N0} readings was logged. Retry later.");
        }

        // Registered before the append, so the delivery watermark (where a restart's replay starts) stays below these
        // readings until their grains have applied them.
        long token = _watermark.Begin();
        long[] sequences;
        try
        {
            sequences = await eventLog.AppendBatchAsync(ToEntries(readings), cancellationToken);
        }
        catch
        {
            _watermark.End(token, 0);
            throw;
        }

        Interlocked.Add(ref _accepted, readings.Count);

        // Logged means accepted: from here on nothing may fail the batch, neither overload nor the caller going away.
        (List<Delivery> left, int failed) = await DeliverAsync(readings, sequences, _watermark.DeliveryLow);
        if (left.Count == 0)
        {
            _watermark.End(token, sequences[^1]);
            return new Acceptance(0, failed);
        }

        int count = left.Sum(d => d.Count);
        Interlocked.Add(ref _backlog, count);
        _ = Task.Run(() => RedeliverAsync(left, count, token, sequences[^1]), CancellationToken.None);
        return new Acceptance(count, failed);
    }

    private static string UnknownSensor(string id) => $"unknown sensorId '{id}'";

    /// <summary>Why the twin cannot take <paramref name="reading"/> (no such sensor or gauge, a value out of its physical range), or null.</summary>
    private static string? Refusal(TwinDirectory directory, ReadingInput reading, string batteryUnit)
    {
        switch (directory.Get(reading.SensorId))
        {
            case { Type: EntityType.Gauge }:
                return PhysicalRange.Check(PhysicalRange.WaterLevel, reading.Value, "a river gauge in m");
            case { Type: EntityType.Sensor } sensor:
                if (reading.Unit is not null && string.Equals(reading.Unit, batteryUnit, StringComparison.OrdinalIgnoreCase))
                {
                    return PhysicalRange.Check(PhysicalRange.Battery, reading.Value, "a battery in %");
                }

                if (!Enum.TryParse(sensor.Kind, ignoreCase: true, out SensorKind kind))
                {
                    return null;
                }

                // The message only for a refusal: formatting it for every reading was 4 % of the ingest's CPU.
                (double Min, double Max) range = PhysicalRange.Of(kind);
                return PhysicalRange.Contains(range, reading.Value) ? null : PhysicalRange.Check(range, reading.Value, $"a {kind} sensor");
            default:
                return UnknownSensor(reading.SensorId);
        }
    }

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
    /// gets its readings in one message, in batch order), all calls in flight at once, and waits for all of them,
    /// resending the calls refused for overload a few times. Returns the deliveries still refused after that and how
    /// many readings went to grains that failed while applying them.
    /// </summary>
    private async Task<(List<Delivery> Refused, int Failed)> DeliverAsync(IReadOnlyList<ReadingInput> readings, long[] sequences, long low)
    {
        var slots = new Dictionary<string, int>(readings.Count, StringComparer.Ordinal);
        var deliveries = new List<Delivery>(readings.Count);
        for (int i = 0; i < readings.Count; i++)
        {
            ReadingInput r = readings[i];
            var reading = new SensorReading(r.Value, r.Unit, r.At, sequences[i], low);
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

        // Sent at once, then resent after 20, 60, 180, 540 ms.
        (List<Delivery> refused, List<Delivery> failed) = await SendAsync(deliveries, _overloadRetries + 1,
            attempt => attempt == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(20 * Math.Pow(3, attempt - 1)), "logged");
        return (refused, failed.Sum(d => d.Count));
    }

    /// <summary>
    /// Delivers deferred readings in the background, waiting longer between rounds (up to 2 s) while their grains stay
    /// overloaded. A delivery failing otherwise (the silo stopping, a grain failing) is given up and logged: the
    /// readings stay in the event log.
    /// </summary>
    private async Task RedeliverAsync(List<Delivery> left, int count, long token, long highestSequence)
    {
        try
        {
            (_, List<Delivery> failed) = await SendAsync(left, int.MaxValue,
                attempt => TimeSpan.FromMilliseconds(Math.Min(2000, 50 * Math.Pow(2, attempt))), "deferred");
            Interlocked.Add(ref _dropped, failed.Sum(d => d.Count));
        }
        finally
        {
            Interlocked.Add(ref _backlog, -count);
            _watermark.End(token, highestSequence);
        }
    }

    /// <summary>
    /// The one resend loop of both paths: sends every delivery at once, each on its own, waiting
    /// <paramref name="waitBefore"/>(attempt) before each of at most <paramref name="attempts"/> tries, and resends only a
    /// call the silo refused at the door (see <see cref="IsRefusedAtDoor"/>: never queued, never run). A call that was
    /// accepted and then failed, even with an overload its grain met while running (say the alert it raised met a full
    /// queue), has applied its readings and must not apply them again: it is reported failed and logged. Returns the
    /// deliveries still refused after their last try and those that failed.
    /// </summary>
    private async Task<(List<Delivery> Refused, List<Delivery> Failed)> SendAsync(IReadOnlyList<Delivery> deliveries, int attempts,
        Func<int, TimeSpan> waitBefore, string what)
    {
        // Orleans refuses a call asynchronously (its answer is the refusal), so each delivery retries on its own rather than
        // in rounds: a slow grain does not hold back the resends of the others.
        var sends = new Task<DeliveryOutcome>[deliveries.Count];
        for (int i = 0; i < deliveries.Count; i++)
        {
            sends[i] = SendOneAsync(deliveries[i], attempts, waitBefore, what);
        }

        DeliveryOutcome[] outcomes = await Task.WhenAll(sends);
        var refused = new List<Delivery>();
        var failed = new List<Delivery>();
        for (int i = 0; i < outcomes.Length; i++)
        {
            switch (outcomes[i])
            {
                case DeliveryOutcome.Refused:
                    refused.Add(deliveries[i]);
                    break;
                case DeliveryOutcome.Failed:
                    failed.Add(deliveries[i]);
                    break;
            }
        }

        return (refused, failed);
    }

    private async Task<DeliveryOutcome> SendOneAsync(Delivery delivery, int attempts, Func<int, TimeSpan> waitBefore, string what)
    {
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            // Real time, not the silo's clock: the wait is for queues to drain.
            if (waitBefore(attempt) is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, CancellationToken.None);
            }

            Task call;
            try
            {
                call = delivery.SendAsync(_sensors, _gauges);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // The server is shutting down under us: the readings are given up (they stay in the event log).
                logger?.LogWarning(e, "Delivery of {Count} {What} readings of {Grain} stopped; they stay in the event log", delivery.Count, what, delivery.Id);
                return DeliveryOutcome.Failed;
            }

            try
            {
                await call;
                return DeliveryOutcome.Applied;
            }
            catch (Exception e) when (IsRefusedAtDoor(e, delivery.GrainId))
            {
                // Never queued, never run: safe to send again.
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger?.LogWarning(e, "{Count} {What} readings of {Grain} failed while being applied; they stay in the event log", delivery.Count, what, delivery.Id);
                return DeliveryOutcome.Failed;
            }
        }

        return DeliveryOutcome.Refused;
    }

    /// <summary>
    /// True when <paramref name="error"/> is Orleans' refusal of the call by the target activation itself, because its
    /// queue was over the limit (MaxEnqueuedRequestsHardLimit): the call never ran. Orleans answers that refusal with the
    /// <see cref="LimitExceededException"/> the target activation made, whose message names that activation
    /// ("[Activation: silo/type/key@id ..."); an overload the grain met while running, on a call of its own to another
    /// grain, carries the same type but names that other activation, and its readings were applied, so it must not count.
    /// </summary>
    internal static bool IsRefusedAtDoor(Exception error, GrainId target)
    {
        Exception e = error is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : error;
        return e is LimitExceededException limit && limit.Message.Contains("/" + target.ToString() + "@", StringComparison.Ordinal);
    }

    private static (List<ReadingInput> Valid, List<ItemError> Errors) Parse(JsonElement batch, TwinDirectory? directory, string batteryUnit)
    {
        var valid = new List<ReadingInput>(batch.GetArrayLength());
        var errors = new List<ItemError>();
        int index = 0;
        foreach (JsonElement item in batch.EnumerateArray())
        {
            string? id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("sensorId", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            string? error = ValidateItem(item, id, out ReadingInput? reading);
            if (error is null && directory is not null)
            {
                error = Refusal(directory, reading!, batteryUnit);
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

        if (TextLimits.TooLong("sensorId", id, TextLimits.Id) is { } idTooLong)
        {
            return idTooLong;
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
            if (TextLimits.TooLong("unit", unit, TextLimits.Unit) is { } unitTooLong)
            {
                return unitTooLong;
            }
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

    /// <summary>What became of an accepted batch: readings deferred to background delivery, and readings whose grain failed while applying them.</summary>
    public readonly record struct Acceptance(int Deferred, int Unapplied);

    private enum DeliveryOutcome
    {
        Applied,
        Refused,
        Failed,
    }

    /// <summary>The readings of one grain in one batch.</summary>
    private sealed class Delivery(string id, bool isGauge, SensorReading first)
    {
        private List<SensorReading>? _more;

        public string Id => id;

        /// <summary>The grain's id as Orleans names it (known once sent).</summary>
        public GrainId GrainId { get; private set; }

        public int Count => _more?.Count ?? 1;

        public void Add(SensorReading reading) => (_more ??= [first]).Add(reading);

        public Task SendAsync(GrainsByKey<ISensorGrain> sensors, GrainsByKey<IGaugeGrain> gauges)
        {
            if (isGauge)
            {
                IGaugeGrain gauge = gauges.Get(id);
                GrainId = gauge.GetGrainId();
                return _more is null ? gauge.RecordAsync(first) : gauge.RecordBatchAsync(_more);
            }

            ISensorGrain sensor = sensors.Get(id);
            GrainId = sensor.GetGrainId();
            return _more is null ? sensor.RecordAsync(first) : sensor.RecordBatchAsync(_more);
        }
    }
}
