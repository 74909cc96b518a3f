using CityTwin.Scenarios.District;

namespace CityTwin.TwinApi.Load;

/// <summary>Turns the harness's size options into generator options, scaling the per-building sensor mix.</summary>
public static class DistrictSizing
{
    /// <summary>Mean sensors per building of the generator's default mix (home sensors plus parking), measured.</summary>
    public const double DefaultSensorsPerBuilding = 6.5;

    /// <summary>Generator options for <paramref name="options"/>: home sensors and parking bays scale with the requested density.</summary>
    public static DistrictOptions ToDistrictOptions(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double scale = options.SensorsPerBuilding / DefaultSensorsPerBuilding;
        var home = new HomeSensorMix();
        var street = new StreetSensorMix();
        return new DistrictOptions
        {
            Buildings = options.Buildings,
            Seed = options.Seed,
            SizeKm = options.SizeKm,
            HomeSensors = home with
            {
                Gas = home.Gas * scale,
                Smoke = home.Smoke * scale,
                CarbonMonoxide = home.CarbonMonoxide * scale,
                SosButton = home.SosButton * scale,
                WaterMeter = home.WaterMeter * scale,
            },
            StreetSensors = street with { ParkingPerBuilding = street.ParkingPerBuilding * scale },
        };
    }
}
