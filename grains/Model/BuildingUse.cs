using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>What a building is used for.</summary>
[GenerateSerializer]
public enum BuildingUse
{
    /// <summary>Residential.</summary>
    Residential,

    /// <summary>Commercial.</summary>
    Commercial,

    /// <summary>Office.</summary>
    Office,

    /// <summary>Industrial.</summary>
    Industrial,

    /// <summary>School.</summary>
    School,

    /// <summary>Hospital.</summary>
    Hospital,

    /// <summary>ElderlyCare.</summary>
    ElderlyCare,

    /// <summary>Government.</summary>
    Government,
}
