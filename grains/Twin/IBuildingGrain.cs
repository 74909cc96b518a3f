using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;

namespace CityTwin.Grains.Twin;

/// <summary>A building of the twin: its occupants and contacts, and its alarm and evacuation state.</summary>
public interface IBuildingGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(BuildingDefinition definition);

    /// <summary>
    /// Raises an alert for one of the building's sensors to the building's contacts and the staff of the request's
    /// audience; enters the alarm state when the request sets an alarm. Returns the published alert.
    /// </summary>
    Task<Alert> RaiseSensorAlertAsync(SensorAlertRequest request);

    /// <summary>Ends a sensor's alarm; the building leaves its alarm state when no sensor is in alarm.</summary>
    Task ClearSensorAlarmAsync(string sensorId, DateTimeOffset at);

    /// <summary>Sets the evacuation state ("ordered", "inProgress", "complete"; null for none), as scenarios and drills decide.</summary>
    Task SetEvacuationAsync(string? status);
}
