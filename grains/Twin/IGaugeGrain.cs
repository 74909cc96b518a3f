using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A river gauge of the twin.</summary>
public interface IGaugeGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(GaugeDefinition definition);

    /// <summary>Applies a water level reading (metres above datum) and runs the rules; the read model reflects it when the task completes.</summary>
    Task RecordAsync(SensorReading reading);

    /// <summary>Applies several readings in order (one message for a batch that holds many readings of this gauge).</summary>
    Task RecordBatchAsync(IReadOnlyList<SensorReading> readings);
}
