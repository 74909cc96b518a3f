using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Scenarios.District;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Makes citizen reports for a generated district: a spot near a random building, a category of the kind residents
/// report (garbage, parking, noise, road damage, street lights, leaks, illegal building work; weights are our
/// assumption of a 12345 hotline's mix, not a measured breakdown), 60 % by the hotline and 40 % by the app with a photo.
/// Not thread-safe: one driver loop calls it.
/// </summary>
public sealed class CitizenReportGenerator
{
    private static readonly (string Category, int Weight, string Description)[] Categories =
    [
        ("garbage", 30, "Rubbish piled up beside the bins"),
        ("illegal-parking", 20, "A car is blocking the fire lane"),
        ("noise", 20, "Loud construction noise after 22:00"),
        ("road-damage", 10, "Pothole in the cycle lane"),
        ("street-light", 10, "Street light out for three nights"),
        ("water-leak", 5, "Water bubbling up from the pavement"),
        ("illegal-construction", 5, "Someone is building an extension on the roof"),
    ];

    private readonly GeoPoint[] _places;
    private readonly Random _random;
    private readonly int _totalWeight = Categories.Sum(c => c.Weight);
    private long _made;

    /// <summary>Prepares reports around the buildings of <paramref name="district"/> (its centre when it has none).</summary>
    public CitizenReportGenerator(District district, int seed)
    {
        ArgumentNullException.ThrowIfNull(district);
        _places = district.Buildings.Length > 0 ? district.Buildings.Select(b => b.Centroid).ToArray() : [district.Centre];
        _random = new Random(seed);
    }

    /// <summary>The next report.</summary>
    public CaseReport Next()
    {
        long n = ++_made;
        GeoPoint near = _places[_random.Next(_places.Length)];

        // Within about 20 m of the building: reporters stand in the street, not on the roof.
        var location = new GeoPoint(near.Lon + (_random.NextDouble() - 0.5) * 0.0004, near.Lat + (_random.NextDouble() - 0.5) * 0.0004).Round(7);
        int pick = _random.Next(_totalWeight);
        (string category, _, string description) = Categories.First(c => (pick -= c.Weight) < 0);
        bool hotline = _random.NextDouble() < 0.6;
        return new CaseReport(hotline ? CaseSource.Hotline : CaseSource.Citizen, category, location, description)
        {
            PhotoUrls = hotline ? [] : [$"https://photos.example.org/load/{n}.jpg"],
            Contact = new Contact("Load test resident", "reporter", $"138{n % 100_000_000:00000000}"),
            Reporter = hotline ? "12345 operator" : "citizen app",
            ExternalRef = hotline ? $"12345-load-{n}" : null,
        };
    }
}
