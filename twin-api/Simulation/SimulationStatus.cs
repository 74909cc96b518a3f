namespace CityTwin.TwinApi.Simulation;

/// <summary>What /health shows of the simulated traffic: its settings and what it sent so far.</summary>
/// <param name="Enabled">Whether the traffic runs.</param>
/// <param name="ReadingsPerSecond">Configured reading rate.</param>
/// <param name="PositionsPerSecond">Configured position rate.</param>
/// <param name="AlarmsPerHour">Configured alarm rate.</param>
/// <param name="FaultsPerHour">Configured fault rate.</param>
/// <param name="Readings">Readings accepted by ingest so far.</param>
/// <param name="Positions">Positions accepted by ingest so far.</param>
/// <param name="Rejected">Inputs ingest refused (overload, unknown entity).</param>
/// <param name="Alarms">Alarm readings sent so far.</param>
/// <param name="Faults">Fault readings sent so far.</param>
public sealed record SimulationStatus(
    bool Enabled, double ReadingsPerSecond, double PositionsPerSecond, double AlarmsPerHour, double FaultsPerHour,
    long Readings, long Positions, long Rejected, long Alarms, long Faults);
