using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Json;
using CityTwin.Grains.Twin;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Sends inputs the way gateways and apps do, with the operator key: readings as POST /api/telemetry, positions as
/// POST /api/vehicles/positions, each citizen report as POST /api/cases. 503 and 429 are overload (the request is
/// rejected and counted); any other failure status rejects it as failed. Given several clients (the silos of one
/// cluster), each request goes to the next in turn.
/// </summary>
public sealed class HttpTelemetryTarget(params HttpClient[] clients) : ITelemetryTarget
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private long _requests;

    /// <inheritdoc />
    public Task<BatchOutcome> SendAsync(List<ReadingInput> batch, CancellationToken cancellationToken) =>
        PostAsync("api/telemetry", Serialize(batch), batch.Count, "readings", cancellationToken);

    /// <inheritdoc />
    public Task<BatchOutcome> SendPositionsAsync(List<VehiclePositionInput> batch, CancellationToken cancellationToken) =>
        PostAsync("api/vehicles/positions", Serialize(batch), batch.Count, "positions", cancellationToken);

    /// <inheritdoc />
    public Task<BatchOutcome> SendReportAsync(CaseReport report, CancellationToken cancellationToken) =>
        PostAsync("api/cases", Serialize(report), 1, "reports", cancellationToken);

    private async Task<BatchOutcome> PostAsync(string path, byte[] body, int count, string what, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        try
        {
            HttpClient client = clients[(int)((ulong)Interlocked.Increment(ref _requests) % (ulong)clients.Length)];
            using HttpResponseMessage response = await client.PostAsync(path, content, cancellationToken);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            {
                return new BatchOutcome(0, count, Overloaded: true, Failed: false, $"HTTP {(int)response.StatusCode}");
            }

            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new BatchOutcome(0, count, Overloaded: false, Failed: true, $"{path}: HTTP {(int)response.StatusCode}: {Truncate(text)}");
            }

            if (response.StatusCode == HttpStatusCode.Created)
            {
                // A report answers 201 with the case it opened.
                return new BatchOutcome(1, 0, Overloaded: false, Failed: false, null);
            }

            using JsonDocument doc = JsonDocument.Parse(text);
            JsonElement root = doc.RootElement;
            int accepted = root.GetProperty("accepted").GetInt32();
            int rejected = root.GetProperty("rejected").GetInt32();
            int deferred = root.TryGetProperty("deferred", out JsonElement d) ? d.GetInt32()
                : root.TryGetProperty("undelivered", out JsonElement u) ? u.GetArrayLength() : 0;
            string? error = rejected > 0 ? $"{rejected} {what} rejected: {Truncate(text)}" : deferred > 0 && what == "positions" ? $"{deferred} positions not applied: {Truncate(text)}" : null;
            return new BatchOutcome(accepted, rejected, Overloaded: false, Failed: false, error, deferred);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
                                   || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new BatchOutcome(0, count, Overloaded: false, Failed: true, $"{path}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The batch as the API's JSON array of {sensorId, value, unit, at}.</summary>
    public static byte[] Serialize(IReadOnlyList<ReadingInput> batch) => WriteArray(batch, 96, static (w, r) =>
    {
        w.WriteString("sensorId", r.SensorId);
        w.WriteNumber("value", r.Value);
        if (r.Unit is not null)
        {
            w.WriteString("unit", r.Unit);
        }

        w.WriteString("at", r.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
    });

    /// <summary>The batch as the API's JSON array of {vehicleId, at, lon, lat, speedKmh?, covered?, loadTonnes?}.</summary>
    public static byte[] Serialize(IReadOnlyList<VehiclePositionInput> batch) => WriteArray(batch, 128, static (w, p) =>
    {
        w.WriteString("vehicleId", p.VehicleId);
        w.WriteString("at", p.Position.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        VehicleIngest.WriteFields(w, p.Position);
    });

    /// <summary>The report as POST /api/cases takes it: {source, category, location:{lon,lat}, description, photoUrls, contact, reporter, externalRef}.</summary>
    public static byte[] Serialize(CaseReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            source = CaseNames.Of(report.Source),
            category = report.Category,
            location = new { lon = report.Location.Lon, lat = report.Location.Lat },
            description = report.Description,
            photoUrls = report.PhotoUrls,
            contact = report.Contact is { } c ? new { name = c.Name, phone = c.Phone } : null,
            reporter = report.Reporter,
            externalRef = report.ExternalRef,
        }, TwinJson.Options);
    }

    /// <summary>A JSON array with one object per item, its fields written by <paramref name="writeFields"/>.</summary>
    private static byte[] WriteArray<T>(IReadOnlyList<T> items, int bytesPerItem, Action<Utf8JsonWriter, T> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(1, items.Count * bytesPerItem));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (T item in items)
            {
                w.WriteStartObject();
                writeFields(w, item);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
