using System.Diagnostics.Metrics;

namespace CityTwin.Silo;

/// <summary>
/// The silo's instruments on System.Diagnostics.Metrics (meter "CityTwin.Silo"), tagged with the silo name so that
/// several silos in one process stay apart. Gauges read the silo's counters only when a listener collects.
/// </summary>
internal sealed class SiloMetrics : IDisposable
{
    private readonly Meter _meter;

    public SiloMetrics(Silo silo)
    {
        var tags = new KeyValuePair<string, object?>[] { new("silo", silo.Options.Name) };
        _meter = new Meter("CityTwin.Silo", "1.0", tags);
        _meter.CreateObservableGauge("citytwin.silo.activations", () => silo.ActivationCount, "{activation}", "Live activations");
        _meter.CreateObservableCounter("citytwin.silo.messages", () => silo.MessagesProcessed, "{message}", "Messages processed");
        _meter.CreateObservableGauge("citytwin.silo.in_flight", () => silo.InFlight, "{message}", "Messages sent and not yet done (queued or running)");
        _meter.CreateObservableCounter("citytwin.silo.overloads", () => silo.Overloads, "{message}", "Calls rejected because a queue was full");
        _meter.CreateObservableGauge("citytwin.storage.batch_latency", () => silo.Storage.Statistics.MeanBatchLatency.TotalMilliseconds, "ms", "Mean storage batch round trip");
        _meter.CreateObservableCounter("citytwin.storage.writes", () => silo.Storage.Statistics.Writes, "{write}", "State writes committed");
        TurnDuration = _meter.CreateHistogram<double>("citytwin.silo.turn.duration", "ms", "Time of one turn on an activation");
    }

    /// <summary>Turn time; recorded only while a listener is enabled.</summary>
    public Histogram<double> TurnDuration { get; }

    public void Dispose() => _meter.Dispose();
}
