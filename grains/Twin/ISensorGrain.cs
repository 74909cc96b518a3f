using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A sensor of the twin.</summary>
public interface ISensorGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(SensorDefinition definition);

    /// <summary>Applies a reading and runs the rules; the read model reflects it when the task completes.</summary>
    Task RecordAsync(SensorReading reading);

    /// <summary>Applies several readings in order (one message for a batch that holds many readings of this sensor).</summary>
    Task RecordBatchAsync(IReadOnlyList<SensorReading> readings);

    /// <summary>Marks the sensor offline (with an alert) if it has been silent too long; true when it did.</summary>
    Task<bool> CheckSilenceAsync();

    /// <summary>Raises a welfare check if this water meter shows no use for too long in an elderly resident's home; true when it did.</summary>
    Task<bool> CheckWelfareAsync();
}
