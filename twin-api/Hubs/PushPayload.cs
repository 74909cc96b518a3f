using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// A push argument already serialised to UTF-8 JSON. An item matching many connections is serialised once here and
/// copied into each connection's frame as raw JSON, instead of being serialised again per connection.
/// </summary>
[JsonConverter(typeof(PushPayloadJsonConverter))]
internal sealed class PushPayload(byte[] utf8Json)
{
    // Enums as camelCase names ("critical", "sensor") and camelCase properties, as the REST API writes them.
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The serialised JSON value.</summary>
    public byte[] Utf8Json { get; } = utf8Json;

    /// <summary>Serialises <paramref name="item"/> by its runtime type.</summary>
    public static PushPayload From(object item) => new(JsonSerializer.SerializeToUtf8Bytes(item, item.GetType(), Options));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
