using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Ingest;
using Orleans.Runtime;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Sends inputs straight into the paths the HTTP endpoints take after JSON parsing: <see cref="TelemetryIngest.IngestAsync"/>
/// for readings, <see cref="VehicleIngest.IngestAsync"/> for positions and <see cref="CaseReportIngest.ReportAsync"/> for
/// citizen reports (each: durable append, then the grains, awaited), so the figures are the server's own cost without
/// HTTP. Overload (<see cref="LimitExceededException"/>, which the API answers with 503) rejects the request and is
/// counted; the run goes on.
/// </summary>
public sealed class InProcessTelemetryTarget(TelemetryIngest ingest, TwinDirectory directory, IGrainFactory grains, IEventLog eventLog, DeliveryWatermark watermark, TimeProvider time) : ITelemetryTarget
{
    /// <inheritdoc />
    public Task<BatchOutcome> SendAsync(List<ReadingInput> batch, CancellationToken cancellationToken) => Guard(batch.Count, async () =>
    {
        IngestResult result = await ingest.IngestAsync(batch, cancellationToken);
        string? error = result.Errors.Count > 0 ? $"{result.Rejected} readings rejected, first: {result.Errors[0].Error}"
            : result.Unapplied > 0 ? $"{result.Unapplied} logged readings failed while being applied (see the server log)" : null;
        return new BatchOutcome(result.Accepted, result.Rejected, Overloaded: false, Failed: false, error, result.Deferred);
    });

    /// <inheritdoc />
    public Task<BatchOutcome> SendPositionsAsync(List<VehiclePositionInput> batch, CancellationToken cancellationToken) => Guard(batch.Count, async () =>
    {
        // The same known-vehicle check as the endpoint's parser.
        var valid = new List<VehiclePositionInput>(batch.Count);
        var errors = new List<ItemError>();
        foreach (VehiclePositionInput p in batch)
        {
            if (directory.Get(EntityType.Vehicle, p.VehicleId) is null)
            {
                errors.Add(new ItemError(p.Index, p.VehicleId, $"unknown vehicle id '{p.VehicleId}'"));
            }
            else
            {
                valid.Add(p);
            }
        }

        VehicleIngestResult result = await VehicleIngest.IngestAsync(eventLog, grains, watermark, valid, errors, cancellationToken);
        string? error = result.Errors.Count > 0 ? $"{result.Rejected} positions rejected, first: {result.Errors[0].Error}"
            : result.Undelivered is { Count: > 0 } u ? $"{u.Count} positions not applied, first: {u[0].Error}" : null;
        return new BatchOutcome(result.Accepted, result.Rejected, Overloaded: false, Failed: false, error, result.Undelivered?.Count ?? 0);
    });

    /// <inheritdoc />
    public Task<BatchOutcome> SendReportAsync(CaseReport report, CancellationToken cancellationToken) => Guard(1, async () =>
    {
        await CaseReportIngest.ReportAsync(eventLog, grains, time, report, cancellationToken);
        return new BatchOutcome(1, 0, Overloaded: false, Failed: false, null);
    });

    private static async Task<BatchOutcome> Guard(int count, Func<Task<BatchOutcome>> send)
    {
        try
        {
            return await send();
        }
        catch (LimitExceededException e)
        {
            return new BatchOutcome(0, count, Overloaded: true, Failed: false, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new BatchOutcome(0, count, Overloaded: false, Failed: true, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
