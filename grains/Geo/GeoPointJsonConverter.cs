using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityTwin.Grains.Geo;

/// <summary>
/// Reads and writes a <see cref="GeoPoint"/> as a GeoJSON position <c>[lon, lat]</c>; an optional third
/// ordinate (altitude) is accepted and ignored, as RFC 7946 allows.
/// </summary>
internal sealed class GeoPointJsonConverter : JsonConverter<GeoPoint>
{
    public override GeoPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected a position array [lon, lat] but found {reader.TokenType}.");
        }

        double lon = ReadOrdinate(ref reader, "longitude");
        double lat = ReadOrdinate(ref reader, "latitude");
        if (!reader.Read())
        {
            throw new JsonException("Unterminated position array.");
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            // Altitude: allowed by RFC 7946, not used by the twin.
            if (!reader.Read())
            {
                throw new JsonException("Unterminated position array.");
            }
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("A position must hold two or three numbers: [lon, lat] or [lon, lat, alt].");
        }

        if (lon is < -180 or > 180 || lat is < -90 or > 90)
        {
            throw new JsonException($"Position [{lon}, {lat}] is outside WGS84 range; coordinates must be [lon, lat] in degrees.");
        }

        return new GeoPoint(lon, lat);
    }

    public override void Write(Utf8JsonWriter writer, GeoPoint value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Lon);
        writer.WriteNumberValue(value.Lat);
        writer.WriteEndArray();
    }

    private static double ReadOrdinate(ref Utf8JsonReader reader, string name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"Expected the {name} as a number in a position array [lon, lat].");
        }

        return reader.GetDouble();
    }
}
