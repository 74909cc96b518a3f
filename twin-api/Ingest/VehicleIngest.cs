using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;

namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The vehicle position ingest path: validate each report, append the valid ones to the event log in one durable batch,
/// then deliver them to the vehicle grains (one call per vehicle, in time order) and wait until the twin applied them.
/// </summary>
public static class VehicleIngest
{
    /// <summary>The event-log kind of vehicle positions (key: the vehicle id).</summary>
    public const string PositionKind = VehiclePosition.LogKind;

    private const int MaxIdLength = 200;
    private const double MaxSpeedKmh = 400;
    private const double MaxLoadTonnes = 500;

    /// <summary>
    /// Parses a JSON array of <c>{vehicleId, lon, lat, at, speedKmh?, covered?, loadTonnes?}</c>, keeping the valid
    /// reports and an error (by index) for each invalid one; <paramref name="isKnownVehicle"/> rejects unknown ids.
    /// </summary>
    public static (List<VehiclePositionInput> Valid, List<ItemError> Errors) Parse(JsonElement batch, Func<string, bool> isKnownVehicle)
    {
        ArgumentNullException.ThrowIfNull(isKnownVehicle);
        var valid = new List<VehiclePositionInput>(batch.GetArrayLength());
        var errors = new List<ItemError>();
        int index = 0;
        foreach (JsonElement item in batch.EnumerateArray())
        {
            string? id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("vehicleId", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            string? error = Validate(item, id, isKnownVehicle, out VehiclePosition? position);
            if (error is null)
            {
                valid.Add(new VehiclePositionInput(index, id!, position!));
            }
            else
            {
                errors.Add(new ItemError(index, id, error));
            }

            index++;
        }

        return (valid, errors);
    }

    /// <summary>
    /// Accepts validated reports: appends them to the event log, then delivers them to the twin, and answers as
    /// POST /api/vehicles/positions does (<paramref name="errors"/> are the batch's validation errors).
    /// </summary>
    public static async Task<VehicleIngestResult> IngestAsync(IEventLog eventLog, IGrainFactory grains, DeliveryWatermark watermark,
        IReadOnlyList<VehiclePositionInput> positions, IReadOnlyList<ItemError> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(watermark);

        // Durable first: a position is acknowledged only once the log holds it, and only then does the twin see it.
        // Registered before the append, so a restart's replay mark stays below these reports until they are applied.
        long token = watermark.Begin();
        long[] sequences = [];
        try
        {
            sequences = await AppendAsync(eventLog, positions, cancellationToken);
            List<ItemError> undelivered = await DeliverAsync(grains, positions, sequences, watermark.DeliveryLow);
            return new VehicleIngestResult(positions.Count, errors.Count, errors, undelivered.Count > 0 ? undelivered : null);
        }
        finally
        {
            watermark.End(token, sequences.Length > 0 ? sequences[^1] : 0);
        }
    }

    /// <summary>Appends the reports to the event log (all or none) and returns their seqs once they are committed.</summary>
    public static async Task<long[]> AppendAsync(IEventLog eventLog, IReadOnlyList<VehiclePositionInput> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventLog);
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            return [];
        }

        var entries = new EventAppend[positions.Count];
        var buffer = new ArrayBufferWriter<byte>(128);
        using var writer = new Utf8JsonWriter(buffer);
        for (int i = 0; i < positions.Count; i++)
        {
            VehiclePosition p = positions[i].Position;
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            WritePayload(writer, p);
            writer.Flush();
            entries[i] = new EventAppend(p.At, PositionKind, positions[i].VehicleId, buffer.WrittenSpan.ToArray());
        }

        return await eventLog.AppendBatchAsync(entries, cancellationToken);
    }

    /// <summary>
    /// Delivers the reports to their vehicle grains, one call per vehicle with its reports in time order (so a batch
    /// listing a vehicle's fixes out of order still applies all of them), and waits for every call. Returns an error for
    /// each report whose vehicle call failed; the others are applied.
    /// </summary>
    public static async Task<List<ItemError>> DeliverAsync(IGrainFactory grains, IReadOnlyList<VehiclePositionInput> positions, long[] sequences, long low)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(positions);
        var byVehicle = new Dictionary<string, List<VehiclePositionInput>>(StringComparer.Ordinal);
        for (int i = 0; i < positions.Count; i++)
        {
            VehiclePositionInput p = positions[i] with { Position = positions[i].Position with { LogSeq = sequences[i], LogLow = low } };
            if (!byVehicle.TryGetValue(p.VehicleId, out List<VehiclePositionInput>? list))
            {
                byVehicle[p.VehicleId] = list = [];
            }

            list.Add(p);
        }

        var calls = new List<(List<VehiclePositionInput> Items, Task Call)>(byVehicle.Count);
        foreach ((string vehicleId, List<VehiclePositionInput> items) in byVehicle)
        {
            // OrderBy is stable: reports with the same time keep their batch order.
            List<VehiclePositionInput> ordered = items.OrderBy(i => i.Position.At).ToList();
            calls.Add((ordered, grains.GetGrain<IVehicleGrain>(vehicleId).RecordPositionsAsync(ordered.Select(i => i.Position).ToArray())));
        }

        var failed = new List<ItemError>();
        foreach ((List<VehiclePositionInput> items, Task call) in calls)
        {
            try
            {
                await call;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Already durable in the event log: reported as not applied rather than failing the whole batch.
                failed.AddRange(items.Select(i => new ItemError(i.Index, i.VehicleId, $"accepted but not applied to the live twin: {e.Message}")));
            }
        }

        failed.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return failed;
    }

    private static string? Validate(JsonElement item, string? id, Func<string, bool> isKnownVehicle, out VehiclePosition? position)
    {
        position = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            return "each position must be an object {vehicleId, lon, lat, at, speedKmh?, covered?, loadTonnes?}";
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return "vehicleId is required and must be a non-empty string";
        }

        if (id.Length > MaxIdLength)
        {
            return $"vehicleId is longer than {MaxIdLength} characters";
        }

        if (!TryNumber(item, "lon", out double lon) || lon is < -180 or > 180)
        {
            return "lon is required and must be a number from -180 to 180";
        }

        if (!TryNumber(item, "lat", out double lat) || lat is < -90 or > 90)
        {
            return "lat is required and must be a number from -90 to 90";
        }

        if (!item.TryGetProperty("at", out JsonElement a) || a.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
        {
            return "at is required and must be an ISO 8601 timestamp";
        }

        if (at.Year is < 2000 or > 2100)
        {
            return "at is outside the years 2000-2100";
        }

        // Physical bounds, as for sensor readings: no road vehicle is faster, no truck carries more.
        if (!TryOptionalNumber(item, "speedKmh", out double? speed) || speed is < 0 or > MaxSpeedKmh)
        {
            return $"speedKmh must be a number from 0 to {MaxSpeedKmh} when given";
        }

        if (!TryOptionalNumber(item, "loadTonnes", out double? load) || load is < 0 or > MaxLoadTonnes)
        {
            return $"loadTonnes must be a number from 0 to {MaxLoadTonnes} when given";
        }

        bool? covered = null;
        if (item.TryGetProperty("covered", out JsonElement c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "covered must be true or false when given";
            }

            covered = c.GetBoolean();
        }

        if (!isKnownVehicle(id))
        {
            return $"unknown vehicle id '{id}'";
        }

        position = new VehiclePosition(new GeoPoint(lon, lat), at.ToUniversalTime(), speed, covered, load);
        return null;
    }

    // JSON has no NaN or infinity literals, but "NaN" strings and 1e999 (which parses to infinity) must still be refused.
    private static bool TryNumber(JsonElement item, string name, out double value)
    {
        value = 0;
        return item.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static bool TryOptionalNumber(JsonElement item, string name, out double? value)
    {
        value = null;
        if (!item.TryGetProperty(name, out JsonElement e) || e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            return false;
        }

        value = v;
        return true;
    }

    /// <summary>
    /// Writes a fix's fields <c>lon, lat, speedKmh?, covered?, loadTonnes?</c> into the current JSON object (the logged
    /// payload, and the load harness's requests); absent values are left out to keep a fix small.
    /// </summary>
    public static void WriteFields(Utf8JsonWriter w, VehiclePosition p)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(p);
        w.WriteNumber("lon", p.Position.Lon);
        w.WriteNumber("lat", p.Position.Lat);
        if (p.SpeedKmh is { } speed)
        {
            w.WriteNumber("speedKmh", speed);
        }

        if (p.Covered is { } covered)
        {
            w.WriteBoolean("covered", covered);
        }

        if (p.LoadTonnes is { } load)
        {
            w.WriteNumber("loadTonnes", load);
        }
    }

    /// <summary>The logged payload <c>{lon, lat, speedKmh?, covered?, loadTonnes?}</c>.</summary>
    private static void WritePayload(Utf8JsonWriter w, VehiclePosition p)
    {
        w.WriteStartObject();
        WriteFields(w, p);
        w.WriteEndObject();
    }
}
