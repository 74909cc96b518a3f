namespace CityTwin.Scenarios.District;

/// <summary>Kinds of muck-truck geofence.</summary>
public enum GeofenceKind
{
    /// <summary>Construction site where trucks load spoil.</summary>
    ConstructionSite,

    /// <summary>Licensed disposal point where trucks unload.</summary>
    DisposalPoint,

    /// <summary>Inspection checkpoint on a route (a point with a radius).</summary>
    Checkpoint,
}
