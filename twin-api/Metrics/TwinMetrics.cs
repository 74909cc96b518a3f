using System.Diagnostics.Metrics;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Metrics;

/// <summary>
/// CityTwin's own instruments on the meter <see cref="MeterName"/>, exported beside Orleans' meter at /metrics:
/// telemetry ingest (readings accepted, the deferred backlog, readings given up), the event log (appends, failures) and
/// the latency of queries. The counters read the totals the ingest path and the event log already keep, so /metrics
/// and /health report the same numbers.
/// </summary>
public sealed class TwinMetrics
{
    /// <summary>The name of CityTwin's meter.</summary>
    public const string MeterName = "CityTwin";

    /// <summary>The name of the meter Orleans publishes its runtime instruments on (see Orleans.Runtime.OrleansInstruments).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    // Query answers range from tens of microseconds (a cached page) to seconds (a large history): finer than the
    // exporter's default boundaries at the fast end.
    private static readonly double[] QueryBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _queryDuration;

    /// <summary>Creates the instruments on a meter made by <paramref name="meters"/> (the host's factory).</summary>
    public TwinMetrics(IMeterFactory meters, TelemetryIngest telemetry, SiloStore store)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(store);
        Meter meter = meters.Create(MeterName);
        meter.CreateObservableCounter("citytwin.ingest.readings", () => telemetry.Accepted, "{reading}",
            "Readings accepted by telemetry ingest (durably logged), deferred ones included.");
        meter.CreateObservableUpDownCounter("citytwin.ingest.backlog", () => telemetry.Backlog, "{reading}",
            "Accepted readings waiting for background delivery to their grains; new batches are refused at Api:TelemetryBacklogLimit.");
        meter.CreateObservableCounter("citytwin.ingest.dropped", () => telemetry.Dropped, "{reading}",
            "Deferred readings given up because their grain failed (they stay in the event log).");
        StorageStatistics log = store.EventLog.Statistics;
        meter.CreateObservableCounter("citytwin.eventlog.appends", () => log.Writes, "{event}", "Events appended to the durable event log.");
        meter.CreateObservableCounter("citytwin.eventlog.failures", () => log.Failures, "{failure}", "Failed event-log appends.");
        _queryDuration = meter.CreateHistogram("citytwin.query.duration", "s", "Time to answer a query (a GET under /api), from routing to the last byte written.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueryBuckets });
    }

    /// <summary>Records one answered query: its endpoint name and HTTP status.</summary>
    public void RecordQuery(string query, int status, TimeSpan elapsed) =>
        _queryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("citytwin.query", query), new KeyValuePair<string, object?>("http.response.status_code", status));
}
