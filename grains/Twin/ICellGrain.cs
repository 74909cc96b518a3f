using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A raster cell of the twin with its live water depth and gas concentration.</summary>
public interface ICellGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(CellDefinition definition);

    /// <summary>Sets the live fields (from the flood and dispersion models): water depth in metres and gas in ppm.</summary>
    Task SetConditionsAsync(double waterDepthM, double gasPpm, DateTimeOffset at);
}
