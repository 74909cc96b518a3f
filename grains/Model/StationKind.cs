using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>Kinds of bases for vehicles.</summary>
[GenerateSerializer]
public enum StationKind
{
    /// <summary>PoliceStation.</summary>
    PoliceStation,

    /// <summary>FireStation.</summary>
    FireStation,

    /// <summary>AmbulanceStation.</summary>
    AmbulanceStation,

    /// <summary>TruckDepot.</summary>
    TruckDepot,
}
