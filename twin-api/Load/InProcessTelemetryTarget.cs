using CityTwin.Silo;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Sends batches straight into <see cref="TelemetryIngest.IngestAsync"/> (validate ids, durable append, delivery to the
/// grains, awaited), the path POST /api/telemetry takes after JSON parsing, so the figures are the server's own cost
/// without HTTP. Overload (<see cref="GrainOverloadedException"/>, which the API answers with 503) rejects the batch and
/// is counted; the run goes on.
/// </summary>
public sealed class InProcessTelemetryTarget(TelemetryIngest ingest) : ITelemetryTarget
{
    /// <inheritdoc />
    public async Task<BatchOutcome> SendAsync(List<ReadingInput> batch, CancellationToken cancellationToken)
    {
        try
        {
            IngestResult result = await ingest.IngestAsync(batch, cancellationToken);
            return new BatchOutcome(result.Accepted, result.Rejected, Overloaded: false, Failed: false,
                result.Errors.Count > 0 ? $"{result.Rejected} readings rejected, first: {result.Errors[0].Error}" : null);
        }
        catch (GrainOverloadedException e)
        {
            return new BatchOutcome(0, batch.Count, Overloaded: true, Failed: false, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new BatchOutcome(0, batch.Count, Overloaded: false, Failed: true, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
