namespace CityTwin.Scenarios.District;

/// <summary>Densities of street (outdoor) sensors; counts are rounded and at least one of each weather kind.</summary>
public sealed record StreetSensorMix
{
    /// <summary>Rain gauges per km².</summary>
    public double RainPerKm2 { get; init; } = 1.0;

    /// <summary>Anemometers per km².</summary>
    public double WindPerKm2 { get; init; } = 0.25;

    /// <summary>Barometers per km².</summary>
    public double AirPressurePerKm2 { get; init; } = 0.25;

    /// <summary>Soil moisture probes per km².</summary>
    public double SoilMoisturePerKm2 { get; init; } = 1.0;

    /// <summary>PM10 monitors per km², plus one at every construction site.</summary>
    public double Pm10PerKm2 { get; init; } = 1.0;

    /// <summary>Parking bay sensors per building.</summary>
    public double ParkingPerBuilding { get; init; } = 0.5;

    /// <summary>AI cameras per governance grid, plus one at every checkpoint.</summary>
    public double AiCamerasPerGrid { get; init; } = 1.0;
}
