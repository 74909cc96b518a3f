namespace CityTwin.TwinApi.Load;

/// <summary>Running counts and latencies of one input kind, updated by the driver's concurrent requests.</summary>
public sealed class InputCounters(string kind)
{
    private readonly LatencyRecorder _latency = new();
    private long _requests;
    private long _sent;
    private long _accepted;
    private long _rejected;
    private long _overloaded;
    private long _failed;
    private long _deferred;
    private string? _firstError;

    /// <summary>The kind's name in reports: "readings", "positions" or "reports".</summary>
    public string Kind => kind;

    /// <summary>Items sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Items acknowledged as durable so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Items rejected so far (overload, validation, failed requests).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Request latencies.</summary>
    public LatencyRecorder Latency => _latency;

    /// <summary>Counts the items of a request before it is sent.</summary>
    public void AddSent(int items) => Interlocked.Add(ref _sent, items);

    /// <summary>Records a request's answer and its latency since <paramref name="startTimestamp"/>.</summary>
    public void Record(BatchOutcome outcome, long startTimestamp)
    {
        _latency.RecordSince(startTimestamp);
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _accepted, outcome.Accepted);
        Interlocked.Add(ref _rejected, outcome.Rejected);
        Interlocked.Add(ref _deferred, outcome.Deferred);
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

    /// <summary>The figures so far, with the accepted rate over <paramref name="elapsed"/>.</summary>
    public InputKindFigures Summarize(TimeSpan elapsed) => new(
        kind, Interlocked.Read(ref _requests), Sent, Accepted, Rejected, Interlocked.Read(ref _overloaded), Interlocked.Read(ref _failed),
        Interlocked.Read(ref _deferred), Math.Round(Accepted / Math.Max(elapsed.TotalSeconds, 1e-9), 1), _latency.Summarize(), Volatile.Read(ref _firstError));
}
