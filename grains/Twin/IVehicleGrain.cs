using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>A vehicle of the twin.</summary>
public interface IVehicleGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(VehicleDefinition definition);

    /// <summary>Applies a position report and runs the rules; the read model reflects it when the task completes.</summary>
    Task RecordPositionAsync(VehiclePosition position);

    /// <summary>
    /// Applies position reports in the given order in one turn (a batch from the API); the read model reflects the last
    /// of them when the task completes. Fixes older than the latest one already applied are ignored.
    /// </summary>
    Task RecordPositionsAsync(IReadOnlyList<VehiclePosition> positions);

    /// <summary>Marks the vehicle dispatched to a case (or available again when <paramref name="caseId"/> is null).</summary>
    Task SetDispatchAsync(string? caseId, string status);

    /// <summary>
    /// Dispatches the vehicle to <paramref name="caseId"/> unless it already serves another case; with
    /// <paramref name="force"/> it is taken regardless. Check and change happen in one turn, so two cases dispatched at the
    /// same instant cannot both take it. True when the vehicle now serves the case.
    /// </summary>
    Task<bool> ClaimAsync(string caseId, bool force);

    /// <summary>The newest <paramref name="limit"/> fixes of the kept trajectory, oldest first; null when the vehicle was never initialised.</summary>
    Task<VehiclePosition[]?> GetTrajectoryAsync(int limit);
}
