using CityTwin.Grains.Cases;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Where the driver sends its inputs (sensor readings, vehicle positions, citizen reports): the in-process ingest paths
/// or a server over HTTP. Overload and failure are outcomes, not exceptions; each call completes when acknowledged.
/// </summary>
public interface ITelemetryTarget
{
    /// <summary>Sends one batch of sensor readings (POST /api/telemetry).</summary>
    Task<BatchOutcome> SendAsync(List<ReadingInput> batch, CancellationToken cancellationToken);

    /// <summary>Sends one batch of vehicle positions (POST /api/vehicles/positions).</summary>
    Task<BatchOutcome> SendPositionsAsync(List<VehiclePositionInput> batch, CancellationToken cancellationToken);

    /// <summary>Sends one citizen report (POST /api/cases).</summary>
    Task<BatchOutcome> SendReportAsync(CaseReport report, CancellationToken cancellationToken);
}
