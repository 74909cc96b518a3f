using System.Globalization;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Rules;

/// <summary>
/// The values a reading can physically take, per sensor kind, in the units the twin uses for the kind (a gas sensor in
/// %LEL or ppm, so up to 10^6). A value outside its range is a faulty device or a careless client, never a measurement:
/// telemetry ingest refuses it as an item of its batch, and a sensor or gauge grain ignores one that reaches it another
/// way (an event log written before these checks, a scenario file), so no state, aggregate or answer holds it. The
/// bounds are deliberately wide (records of nature, not alarm points) so that no true reading is lost.
/// </summary>
public static class PhysicalRange
{
    /// <summary>Battery reports are percentages.</summary>
    public static readonly (double Min, double Max) Battery = (0, 100);

    /// <summary>River and water levels in metres above a datum: from below the Dead Sea shore to above Everest.</summary>
    public static readonly (double Min, double Max) WaterLevel = (-500, 9_000);

    /// <summary>The range of a measurement of <paramref name="kind"/>.</summary>
    public static (double Min, double Max) Of(SensorKind kind) => kind switch
    {
        // %LEL (0-100) or ppm (0-10^6: 100 % by volume).
        SensorKind.Gas or SensorKind.CarbonMonoxide => (0, 1_000_000),

        // Obscuration and volumetric water content are percentages.
        SensorKind.Smoke or SensorKind.SoilMoisture => (0, 100),

        // Pressed (1) or not (0); a parking bay occupied or free; a detection's confidence.
        SensorKind.SosButton or SensorKind.Parking or SensorKind.AiCamera => (0, 1),

        // L/h through a service pipe; a 50 mm main at 10 m/s carries about 70,000 L/h.
        SensorKind.WaterMeter => (0, 100_000),

        // mm/h: the one-minute world record (31.2 mm) is 1,872 mm/h.
        SensorKind.Rain => (0, 2_000),

        // m/s: the strongest gust measured is 113 m/s.
        SensorKind.Wind => (0, 150),

        // hPa: no absolute pressure is negative; the highest sea-level reading is 1,084 hPa.
        SensorKind.AirPressure => (0, 1_100),

        // µg/m³: dust storms reach a few 10,000.
        SensorKind.Pm10 => (0, 100_000),
        SensorKind.WaterLevel => WaterLevel,
        _ => (double.MinValue, double.MaxValue),
    };

    /// <summary>True when <paramref name="value"/> is finite and within <paramref name="range"/>.</summary>
    public static bool Contains((double Min, double Max) range, double value) =>
        double.IsFinite(value) && value >= range.Min && value <= range.Max;

    /// <summary>Why <paramref name="value"/> is refused for <paramref name="what"/> ("a Gas sensor"), or null when it is within range.</summary>
    public static string? Check((double Min, double Max) range, double value, string what) =>
        Contains(range, value)
            ? null
            : $"value {value.ToString("R", CultureInfo.InvariantCulture)} is outside the physical range of {what} "
              + $"({range.Min.ToString(CultureInfo.InvariantCulture)} to {range.Max.ToString(CultureInfo.InvariantCulture)})";
}
