using CityTwin.Grains.Model;
namespace CityTwin.Scenarios.District;

/// <summary>Default units and thresholds per sensor kind, from common standards and practice.</summary>
public static class SensorProfiles
{
    /// <summary>The profiles a generated district gets, one per sensor kind.</summary>
    public static SensorProfile[] Defaults() =>
    [
        // Household gas alarms (GB 15322.2) must alarm between 3 % and 25 % LEL of methane.
        new(SensorKind.Gas, "%LEL", 10, 20, false, null, 60),
        new(SensorKind.Smoke, "%obs/m", 2, 4, false, null, 60),

        // EN 50291 alarm points: 50 ppm within 60-90 min, 100 ppm within 10-40 min, 300 ppm within 3 min.
        new(SensorKind.CarbonMonoxide, "ppm", 50, 100, false, null, 60),
        new(SensorKind.SosButton, "press", null, 1, false, null, 3600),

        // No water drawn for 12 hours in an elderly resident's home is the usual welfare trigger.
        new(SensorKind.WaterMeter, "L/h", null, null, false, 12, 900),
        new(SensorKind.Rain, "mm/h", 20, 50, false, null, 60),

        // Beaufort force 6 (strong breeze) and force 8 (gale).
        new(SensorKind.Wind, "m/s", 10.8, 17.2, false, null, 60),
        new(SensorKind.AirPressure, "hPa", 995, 985, true, null, 300),
        new(SensorKind.SoilMoisture, "%vol", 35, 45, false, null, 900),

        // GB 3095-2012 24-hour PM10 limit (grade II) is 150 µg/m³.
        new(SensorKind.Pm10, "µg/m³", 150, 250, false, null, 300),
        new(SensorKind.Parking, "occupied", null, null, false, null, 300),
        new(SensorKind.AiCamera, "confidence", 0.6, 0.85, false, null, 10),
        new(SensorKind.WaterLevel, "m", null, null, false, null, 300),
    ];
}
