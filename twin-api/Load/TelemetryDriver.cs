using System.Diagnostics;
using CityTwin.Grains.Cases;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Drives batches of readings at a target rate with a bounded number in flight, and with each batch its share of vehicle
/// positions (one batch) and citizen reports (one request each) per <see cref="LoadMix"/>, sent at the same time. The
/// schedule is open-loop (batch i is due at i x batch / rate) until every slot is busy; then the driver waits for an
/// acknowledgement and counts the batch as behind schedule, so a target the server cannot reach shows as a lower
/// achieved rate rather than unbounded queues. A slot is free again once all requests of its batch are answered.
/// Latency is per request, from send to acknowledgement, kept per input kind.
/// </summary>
public sealed class TelemetryDriver(ITelemetryTarget target, TelemetryGenerator generator, int batchSize, int concurrency,
    LoadMix? mix = null, VehiclePositionGenerator? positions = null, CitizenReportGenerator? reports = null)
{
    private readonly LoadMix _mix = mix ?? new LoadMix(0, 0);
    private long _behind;
    private double _positionsOwed;
    private double _reportsOwed;

    /// <summary>Sensor readings: sent, accepted, rejected, latency per batch.</summary>
    public InputCounters Readings { get; } = new("readings");

    /// <summary>Vehicle positions.</summary>
    public InputCounters Positions { get; } = new("positions");

    /// <summary>Citizen reports.</summary>
    public InputCounters Reports { get; } = new("reports");

    /// <summary>Readings sent so far.</summary>
    public long Sent => Readings.Sent;

    /// <summary>Readings acknowledged as durable so far.</summary>
    public long Accepted => Readings.Accepted;

    /// <summary>Readings rejected so far (overload, validation, failed batches).</summary>
    public long Rejected => Readings.Rejected;

    /// <summary>Batch latencies of the readings.</summary>
    public LatencyRecorder Latency => Readings.Latency;

    /// <summary>
    /// Sends for <paramref name="duration"/> at <paramref name="rate"/> readings/s (null: as fast as acknowledgements come),
    /// then waits for every batch in flight. Returns the wall time from the first send to the last acknowledgement.
    /// </summary>
    public async Task<TimeSpan> RunAsync(double? rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var inFlight = new HashSet<Task>();
        long started = Stopwatch.GetTimestamp();
        long issued = 0;
        while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            double elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            long due = rate is { } r ? (long)(elapsed * r / batchSize) + 1 : long.MaxValue;
            while (issued < due && Stopwatch.GetElapsedTime(started) < duration)
            {
                if (!slots.Wait(0))
                {
                    if (rate is not null)
                    {
                        Interlocked.Increment(ref _behind);
                    }

                    try
                    {
                        await slots.WaitAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                List<ReadingInput> batch = generator.NextBatch(batchSize);
                (List<VehiclePositionInput>? fixes, List<CaseReport>? cases) = NextShare(batch.Count);
                issued++;
                Task send = SendAsync(batch, fixes, cases, slots, cancellationToken);
                lock (inFlight)
                {
                    inFlight.Add(send);
                }

                _ = send.ContinueWith(t =>
                {
                    lock (inFlight)
                    {
                        inFlight.Remove(t);
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            if (rate is not null)
            {
                // Due batches are issued in bursts each millisecond or so; Task.Delay's resolution would cap a
                // one-batch-per-delay loop at about 1,000 batches/s.
                await Task.Delay(1, CancellationToken.None);
            }
        }

        Task[] remaining;
        lock (inFlight)
        {
            remaining = inFlight.ToArray();
        }

        await Task.WhenAll(remaining);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The figures of the finished run; the storage and grain fields are filled by the caller.</summary>
    public IngestFigures Summarize(double? targetRate, TimeSpan elapsed, string mix)
    {
        InputKindFigures r = Readings.Summarize(elapsed);
        return new IngestFigures(
            targetRate, Math.Round(elapsed.TotalSeconds, 3), r.Requests, r.Sent, r.Accepted, r.Rejected, r.Overloaded, r.Failed, r.AchievedRate,
            r.Latency, Interlocked.Read(ref _behind), 0, 0, 0, 0, 0, mix, r.FirstError,
            [r, Positions.Summarize(elapsed), Reports.Summarize(elapsed)]);
    }

    /// <summary>The positions and reports owed for <paramref name="readings"/> readings; fractions carry over to later batches.</summary>
    private (List<VehiclePositionInput>? Positions, List<CaseReport>? Reports) NextShare(int readings)
    {
        List<VehiclePositionInput>? fixes = null;
        List<CaseReport>? cases = null;
        if (positions is not null && positions.VehicleCount > 0)
        {
            _positionsOwed += readings * _mix.PositionsPer1000 / 1000;
            int n = (int)_positionsOwed;
            if (n > 0)
            {
                _positionsOwed -= n;
                fixes = positions.NextBatch(n);
            }
        }

        if (reports is not null)
        {
            _reportsOwed += readings * _mix.ReportsPer1000 / 1000;
            int n = (int)_reportsOwed;
            if (n > 0)
            {
                _reportsOwed -= n;
                cases = new List<CaseReport>(n);
                for (int i = 0; i < n; i++)
                {
                    cases.Add(reports.Next());
                }
            }
        }

        return (fixes, cases);
    }

    private async Task SendAsync(List<ReadingInput> batch, List<VehiclePositionInput>? fixes, List<CaseReport>? cases, SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        // Yield first so the driver loop keeps issuing while this batch's synchronous part runs on the pool.
        await Task.Yield();
        try
        {
            var requests = new List<Task>(2 + (cases?.Count ?? 0))
            {
                SendOneAsync(Readings, batch.Count, () => target.SendAsync(batch, cancellationToken)),
            };
            if (fixes is not null)
            {
                requests.Add(SendOneAsync(Positions, fixes.Count, () => target.SendPositionsAsync(fixes, cancellationToken)));
            }

            foreach (CaseReport report in cases ?? [])
            {
                requests.Add(SendOneAsync(Reports, 1, () => target.SendReportAsync(report, cancellationToken)));
            }

            await Task.WhenAll(requests);
        }
        finally
        {
            slots.Release();
        }
    }

    private static async Task SendOneAsync(InputCounters counters, int count, Func<Task<BatchOutcome>> send)
    {
        long start = Stopwatch.GetTimestamp();
        counters.AddSent(count);
        BatchOutcome outcome;
        try
        {
            outcome = await send();
        }
        catch (OperationCanceledException)
        {
            outcome = new BatchOutcome(0, count, Overloaded: false, Failed: true, "cancelled");
        }

        counters.Record(outcome, start);
    }
}
