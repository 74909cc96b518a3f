using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A responder (grid worker) of the twin.</summary>
public interface IResponderGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(ResponderDefinition definition);
}
