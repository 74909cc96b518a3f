namespace CityTwin.Scenarios.District;

/// <summary>Kinds of tracked vehicle.</summary>
public enum VehicleKind
{
    /// <summary>Police patrol car.</summary>
    PatrolCar,

    /// <summary>Muck (construction spoil) truck, supervised with geofences.</summary>
    MuckTruck,

    /// <summary>Fire engine.</summary>
    FireEngine,

    /// <summary>Ambulance.</summary>
    Ambulance,
}
