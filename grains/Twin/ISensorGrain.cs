using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A sensor of the twin.</summary>
public interface ISensorGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(SensorDefinition definition);

    /// <summary>Applies a reading and runs the rules; the read model reflects it when the task completes.</summary>
    Task RecordAsync(SensorReading reading);
}
