namespace CityTwin.Scenarios.Models;

/// <summary>NRCS hydrologic soil group, from A (sandy, high infiltration) to D (clay, very low infiltration).</summary>
public enum HydrologicSoilGroup
{
    /// <summary>Sand, loamy sand or sandy loam; low runoff potential.</summary>
    A,

    /// <summary>Silt loam or loam; moderately low runoff potential.</summary>
    B,

    /// <summary>Sandy clay loam; moderately high runoff potential.</summary>
    C,

    /// <summary>Clay loam, silty clay loam, clays; high runoff potential.</summary>
    D,
}
