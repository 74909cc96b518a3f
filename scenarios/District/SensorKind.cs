namespace CityTwin.Scenarios.District;

/// <summary>Kinds of sensor in the district: home devices first, then street devices.</summary>
public enum SensorKind
{
    /// <summary>Household combustible gas (methane) detector, %LEL.</summary>
    Gas,

    /// <summary>Smoke alarm, % obscuration per metre.</summary>
    Smoke,

    /// <summary>Carbon monoxide alarm, ppm.</summary>
    CarbonMonoxide,

    /// <summary>One-key SOS button.</summary>
    SosButton,

    /// <summary>Smart water meter; long inactivity flags an elderly resident who may need help.</summary>
    WaterMeter,

    /// <summary>Rain gauge, mm/h.</summary>
    Rain,

    /// <summary>Anemometer, m/s.</summary>
    Wind,

    /// <summary>Barometer, hPa.</summary>
    AirPressure,

    /// <summary>Soil moisture probe, % by volume.</summary>
    SoilMoisture,

    /// <summary>PM10 dust monitor, µg/m³ (construction sites, muck routes).</summary>
    Pm10,

    /// <summary>Parking bay occupancy sensor.</summary>
    Parking,

    /// <summary>AI camera raising detections (dumping, uncovered trucks, crowds).</summary>
    AiCamera,

    /// <summary>River water level gauge (see <see cref="RiverGauge"/>).</summary>
    WaterLevel,
}
