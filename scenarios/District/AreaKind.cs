namespace CityTwin.Scenarios.District;

/// <summary>Level of an administrative area, from the whole district down to a governance grid (网格).</summary>
public enum AreaKind
{
    /// <summary>The whole generated district.</summary>
    District,

    /// <summary>A street (街道, subdistrict) office's area.</summary>
    Street,

    /// <summary>A residents' community (社区).</summary>
    Community,

    /// <summary>A governance grid (网格), the unit a grid worker patrols.</summary>
    Grid,
}
