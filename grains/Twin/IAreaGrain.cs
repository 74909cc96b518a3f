using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A area (district, street, community or grid) of the twin.</summary>
public interface IAreaGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(AreaDefinition definition);
}
