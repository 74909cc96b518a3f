namespace CityTwin.Grains.Model;

/// <summary>Kinds of muck-truck geofences.</summary>
public enum GeofenceKind
{
    /// <summary>ConstructionSite.</summary>
    ConstructionSite,

    /// <summary>DisposalPoint.</summary>
    DisposalPoint,

    /// <summary>Checkpoint.</summary>
    Checkpoint,
}
