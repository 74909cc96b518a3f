using System.Diagnostics.Metrics;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Counts the grain-state writes of one host's silo from Orleans' own storage metric (every write a grain's
/// <c>IPersistentState</c> commits is recorded in <see cref="InstrumentName"/>), so the load harness and /health can
/// report state writes without a counter in the storage providers. Counts from its creation on; read differences.
/// </summary>
public sealed class StateWriteCounter : IDisposable
{
    /// <summary>Orleans' histogram of state-write latencies: one measurement per committed write.</summary>
    public const string InstrumentName = "orleans-storage-write-latency";

    private readonly MeterListener _listener;
    private long _writes;

    /// <summary>
    /// Starts counting the writes recorded on meters made by <paramref name="meters"/> (the host's factory, which Orleans
    /// makes its meter with), so the silos of forks and sandboxes in the same process are not counted.
    /// </summary>
    public StateWriteCounter(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == InstrumentName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument, this);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>(static (_, _, _, state) => ((StateWriteCounter)state!).Increment());
        _listener.Start();
    }

    /// <summary>State writes committed since this counter was made.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Stops counting.</summary>
    public void Dispose() => _listener.Dispose();

    private void Increment() => Interlocked.Increment(ref _writes);
}
