using System.Text.Json;
using System.Text.Json.Serialization;
using CityTwin.Grains.Json;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// A push argument already serialised to UTF-8 JSON (<see cref="TwinJson"/>, as the REST API writes it). An item matching
/// many connections is serialised once here and copied into each connection's frame as raw JSON, instead of being
/// serialised again per connection.
/// </summary>
[JsonConverter(typeof(PushPayloadJsonConverter))]
internal sealed class PushPayload(byte[] utf8Json)
{
    /// <summary>The serialised JSON value.</summary>
    public byte[] Utf8Json { get; } = utf8Json;

    /// <summary>Serialises <paramref name="item"/> by its runtime type.</summary>
    public static PushPayload From(object item) => new(JsonSerializer.SerializeToUtf8Bytes(item, item.GetType(), TwinJson.Options));
}
