using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>Kinds of muck-truck geofences.</summary>
[GenerateSerializer]
public enum GeofenceKind
{
    /// <summary>ConstructionSite.</summary>
    ConstructionSite,

    /// <summary>DisposalPoint.</summary>
    DisposalPoint,

    /// <summary>Checkpoint.</summary>
    Checkpoint,
}
