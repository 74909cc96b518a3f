using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A raster cell of the twin.</summary>
public interface ICellGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(CellDefinition definition);
}
