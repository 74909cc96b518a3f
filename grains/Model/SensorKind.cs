using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>The kind of a sensor, home or street.</summary>
[GenerateSerializer]
public enum SensorKind
{
    /// <summary>Gas.</summary>
    Gas,

    /// <summary>Smoke.</summary>
    Smoke,

    /// <summary>CarbonMonoxide.</summary>
    CarbonMonoxide,

    /// <summary>SosButton.</summary>
    SosButton,

    /// <summary>WaterMeter.</summary>
    WaterMeter,

    /// <summary>Rain.</summary>
    Rain,

    /// <summary>Wind.</summary>
    Wind,

    /// <summary>AirPressure.</summary>
    AirPressure,

    /// <summary>SoilMoisture.</summary>
    SoilMoisture,

    /// <summary>Pm10.</summary>
    Pm10,

    /// <summary>Parking.</summary>
    Parking,

    /// <summary>AiCamera.</summary>
    AiCamera,

    /// <summary>WaterLevel.</summary>
    WaterLevel,
}
