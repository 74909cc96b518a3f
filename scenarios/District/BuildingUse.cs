namespace CityTwin.Scenarios.District;

/// <summary>What a building is used for; drives occupancy, sensors and evacuation priority.</summary>
public enum BuildingUse
{
    /// <summary>Homes (apartment blocks).</summary>
    Residential,

    /// <summary>Shops, malls, restaurants.</summary>
    Commercial,

    /// <summary>Offices.</summary>
    Office,

    /// <summary>Workshops and light industry.</summary>
    Industrial,

    /// <summary>Schools and kindergartens.</summary>
    School,

    /// <summary>Hospitals and clinics.</summary>
    Hospital,

    /// <summary>Care homes for the elderly.</summary>
    ElderlyCare,

    /// <summary>Government and public service buildings.</summary>
    Government,
}
