using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>Where the driver sends telemetry batches: the in-process ingest path or a server over HTTP.</summary>
public interface ITelemetryTarget
{
    /// <summary>Sends one batch and completes when it is acknowledged; overload is an outcome, not an exception.</summary>
    Task<BatchOutcome> SendAsync(List<ReadingInput> batch, CancellationToken cancellationToken);
}
