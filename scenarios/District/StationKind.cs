namespace CityTwin.Scenarios.District;

/// <summary>Kinds of vehicle home base.</summary>
public enum StationKind
{
    /// <summary>Police station (patrol cars).</summary>
    PoliceStation,

    /// <summary>Fire station (fire engines).</summary>
    FireStation,

    /// <summary>Ambulance station, usually at a hospital.</summary>
    AmbulanceStation,

    /// <summary>Muck truck depot.</summary>
    TruckDepot,
}
