using System.Text.Json;
using Orleans.Storage;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Serializes grain state for Orleans' storage providers as CityTwin's state JSON (<see cref="StateJson"/>), so stored
/// payloads are the same UTF-8 JSON the silo wrote before it ran on Orleans and old databases read back.
/// </summary>
public sealed class TwinStateSerializer : IGrainStorageSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a serializer with <see cref="StateJson.CreateOptions"/>.</summary>
    public TwinStateSerializer()
        : this(StateJson.CreateOptions())
    {
    }

    /// <summary>Creates a serializer with <paramref name="options"/> (tests; the silo uses the state JSON options).</summary>
    public TwinStateSerializer(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, _options));

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A stored "null" reads as default; Orleans' providers then create a fresh state.
        return JsonSerializer.Deserialize<T>(input.ToMemory().Span, _options)!;
    }
}
