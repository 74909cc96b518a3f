using System.Diagnostics;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Drives batches at a target rate with a bounded number in flight. The schedule is open-loop (batch i is due at
/// i x batch / rate) until every slot is busy; then the driver waits for an acknowledgement and counts the batch as
/// behind schedule, so a target the server cannot reach shows as a lower achieved rate rather than unbounded queues.
/// Latency is per batch, from send to acknowledgement.
/// </summary>
public sealed class TelemetryDriver(ITelemetryTarget target, TelemetryGenerator generator, int batchSize, int concurrency)
{
    private readonly LatencyRecorder _latency = new();
    private long _batches;
    private long _sent;
    private long _accepted;
    private long _rejected;
    private long _overloaded;
    private long _failed;
    private long _behind;
    private string? _firstError;

    /// <summary>Readings sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Readings acknowledged as durable so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Readings rejected so far (overload, validation, failed batches).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Batch latencies.</summary>
    public LatencyRecorder Latency => _latency;

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
                issued++;
                Task send = SendAsync(batch, slots, cancellationToken);
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
    public IngestFigures Summarize(double? targetRate, TimeSpan elapsed, string mix) => new(
        targetRate, Math.Round(elapsed.TotalSeconds, 3), Interlocked.Read(ref _batches), Sent, Accepted, Rejected, Interlocked.Read(ref _overloaded),
        Interlocked.Read(ref _failed), Math.Round(Accepted / elapsed.TotalSeconds, 1), _latency.Summarize(), Interlocked.Read(ref _behind),
        0, 0, 0, 0, 0, mix, Volatile.Read(ref _firstError));

    private async Task SendAsync(List<ReadingInput> batch, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        // Yield first so the driver loop keeps issuing while this batch's synchronous part runs on the pool.
        await Task.Yield();
        try
        {
            long start = Stopwatch.GetTimestamp();
            Interlocked.Add(ref _sent, batch.Count);
            BatchOutcome outcome;
            try
            {
                outcome = await target.SendAsync(batch, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                outcome = new BatchOutcome(0, batch.Count, Overloaded: false, Failed: true, "cancelled");
            }

            _latency.RecordSince(start);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _accepted, outcome.Accepted);
            Interlocked.Add(ref _rejected, outcome.Rejected);
            if (outcome.Overloaded)
            {
                Interlocked.Add(ref _overloaded, outcome.Rejected);
            }

            if (outcome.Failed)
            {
                Interlocked.Add(ref _failed, outcome.Rejected);
            }

            if (outcome.Error is not null)
            {
                Interlocked.CompareExchange(ref _firstError, outcome.Error, null);
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
