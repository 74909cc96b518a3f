using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Sends batches as POST /api/telemetry with the operator key, the way a gateway would. 503 and 429 are overload (the
/// batch is rejected and counted); any other failure status rejects the batch as failed.
/// </summary>
public sealed class HttpTelemetryTarget(HttpClient client) : ITelemetryTarget
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <inheritdoc />
    public async Task<BatchOutcome> SendAsync(List<ReadingInput> batch, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Serialize(batch));
        content.Headers.ContentType = Json;
        try
        {
            using HttpResponseMessage response = await client.PostAsync("api/telemetry", content, cancellationToken);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            {
                return new BatchOutcome(0, batch.Count, Overloaded: true, Failed: false, $"HTTP {(int)response.StatusCode}");
            }

            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new BatchOutcome(0, batch.Count, Overloaded: false, Failed: true, $"HTTP {(int)response.StatusCode}: {Truncate(body)}");
            }

            using JsonDocument doc = JsonDocument.Parse(body);
            int accepted = doc.RootElement.GetProperty("accepted").GetInt32();
            int rejected = doc.RootElement.GetProperty("rejected").GetInt32();
            string? error = rejected > 0 ? $"{rejected} readings rejected: {Truncate(body)}" : null;
            return new BatchOutcome(accepted, rejected, Overloaded: false, Failed: false, error);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
                                   || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new BatchOutcome(0, batch.Count, Overloaded: false, Failed: true, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The batch as the API's JSON array of {sensorId, value, unit, at}.</summary>
    public static byte[] Serialize(IReadOnlyList<ReadingInput> batch)
    {
        var buffer = new ArrayBufferWriter<byte>(batch.Count * 96);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (ReadingInput r in batch)
            {
                w.WriteStartObject();
                w.WriteString("sensorId", r.SensorId);
                w.WriteNumber("value", r.Value);
                if (r.Unit is not null)
                {
                    w.WriteString("unit", r.Unit);
                }

                w.WriteString("at", r.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
