using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A responder (grid worker) of the twin: position, duty, and the cases assigned to them.</summary>
public interface IResponderGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(ResponderDefinition definition);

    /// <summary>
    /// Assigns a case. Automatic dispatch passes <paramref name="force"/> false and is refused (false) when the
    /// responder is off duty or already on a case; a dispatcher's manual assignment may stack cases. Repeating an
    /// assignment of the same case succeeds.
    /// </summary>
    Task<bool> AssignAsync(string caseId, string category, bool force);

    /// <summary>Sets the responder's status for an assigned case ("dispatched", "en-route", "on-scene"): it follows the case.</summary>
    Task UpdateTaskAsync(string caseId, string status);

    /// <summary>Removes a case from the responder's tasks (resolved, closed, declined); available again when none remain.</summary>
    Task ReleaseAsync(string caseId);

    /// <summary>The cases assigned to the responder, oldest first.</summary>
    Task<ResponderTask[]> GetTasksAsync();

    /// <summary>Records a position from the handheld terminal.</summary>
    Task MoveAsync(GeoPoint position, DateTimeOffset at);

    /// <summary>Puts the responder on or off duty; off duty, automatic dispatch passes them by.</summary>
    Task SetOnDutyAsync(bool onDuty);
}
