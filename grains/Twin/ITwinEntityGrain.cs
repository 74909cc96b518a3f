using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>Common face of the twin's entity grains (keyed by entity id).</summary>
public interface ITwinEntityGrain : IGrainWithStringKey
{
    /// <summary>The entity's summary and full state; 404 in the API when the entity was never initialised.</summary>
    Task<EntityDetails?> GetDetailsAsync();
}
