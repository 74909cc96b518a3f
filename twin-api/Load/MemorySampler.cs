using System.Diagnostics;
using CityTwin.Silo;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Samples this process's resident set every few hundred milliseconds and keeps the peak, because a figure read only
/// at the end misses the high-water mark of a load (RSS rarely shrinks, but the managed heap does after a GC).
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakRss;

    /// <summary>Starts sampling every <paramref name="interval"/>.</summary>
    public MemorySampler(TimeSpan interval)
    {
        _peakRss = CurrentRss();
        _loop = RunAsync(interval, _stop.Token);
    }

    /// <summary>The highest resident set seen since start or the last <see cref="ResetPeak"/>.</summary>
    public long PeakRss => Math.Max(Interlocked.Read(ref _peakRss), CurrentRss());

    /// <summary>Starts a new peak from the current resident set (e.g. between the load and the telemetry phase).</summary>
    public void ResetPeak() => Interlocked.Exchange(ref _peakRss, CurrentRss());

    /// <summary>The resident set of this process now.</summary>
    public static long CurrentRss()
    {
        using Process self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    /// <summary>A snapshot of the memory figures now.</summary>
    public MemoryFigures Snapshot(string scope)
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        return new MemoryFigures(scope, PeakRss, CurrentRss(), GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes, info.TotalCommittedBytes);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            AtomicMax.Raise(ref _peakRss, CurrentRss());
        }
    }
}
