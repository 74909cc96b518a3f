using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>Levels of the governance hierarchy (district, street, community, grid).</summary>
[GenerateSerializer]
public enum AreaKind
{
    /// <summary>District.</summary>
    District,

    /// <summary>Street.</summary>
    Street,

    /// <summary>Community.</summary>
    Community,

    /// <summary>Grid.</summary>
    Grid,
}
