namespace CityTwin.Scenarios.District;

/// <summary>
/// Generates a synthetic district from <see cref="DistrictOptions"/>. All randomness comes from one Bogus
/// <c>Randomizer</c> seeded with <see cref="DistrictOptions.Seed"/>, so equal options give byte-identical JSON.
/// </summary>
public static class DistrictGenerator
{
    /// <summary>Generates the district; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public static District Generate(DistrictOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new DistrictBuilder(options).Build();
    }
}
