using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityTwin.TwinApi.Hubs;

/// <summary>Writes a <see cref="PushPayload"/> as the raw JSON it holds; payloads are only ever written.</summary>
internal sealed class PushPayloadJsonConverter : JsonConverter<PushPayload>
{
    public override PushPayload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Push payloads are written to clients, never read.");

    // The bytes came from JsonSerializer, so they are valid JSON; skipping validation saves a second parse per recipient.
    public override void Write(Utf8JsonWriter writer, PushPayload value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8Json, skipInputValidation: true);
}
