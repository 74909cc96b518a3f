using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>The kind of a vehicle.</summary>
[GenerateSerializer]
public enum VehicleKind
{
    /// <summary>PatrolCar.</summary>
    PatrolCar,

    /// <summary>MuckTruck.</summary>
    MuckTruck,

    /// <summary>FireEngine.</summary>
    FireEngine,

    /// <summary>Ambulance.</summary>
    Ambulance,
}
