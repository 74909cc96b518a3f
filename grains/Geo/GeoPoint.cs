using System.Text.Json.Serialization;
using Orleans;

namespace CityTwin.Grains.Geo;

/// <summary>
/// A WGS84 position in degrees, longitude first (GeoJSON order). Serialises as a <c>[lon, lat]</c> array.
/// </summary>
[JsonConverter(typeof(GeoPointJsonConverter))]
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public readonly record struct GeoPoint(double Lon, double Lat)
{
    /// <summary>Returns the point with both ordinates rounded to <paramref name="decimals"/> places (7 is about 1 cm).</summary>
    public GeoPoint Round(int decimals) => new(Math.Round(Lon, decimals), Math.Round(Lat, decimals));
}
