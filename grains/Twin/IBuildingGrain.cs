using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A building of the twin.</summary>
public interface IBuildingGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(BuildingDefinition definition);
}
