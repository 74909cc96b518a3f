using System.Diagnostics;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Hosting;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Replaces the server's demo-district startup in a load run: loads the harness's own generated district (always, even
/// into a store that holds one) and measures the load: time, activations created, storage writes and memory after it.
/// </summary>
public sealed class LoadDistrictStartup(District district, MemorySampler memory, IProgress<LoadProgress>? progress) : ISiloStartupTask
{
    // Released after the load so the generator's object graph (footprints, names) is not counted as the twin's memory.
    private District? _district = district;

    /// <summary>The load's figures (without generation time); set once the load has run.</summary>
    public DistrictFigures? Figures { get; private set; }

    /// <inheritdoc />
    public async Task RunAsync(CityTwin.Silo.Silo silo, SiloStore store, CancellationToken cancellationToken)
    {
        District? district = Interlocked.Exchange(ref _district, null) ?? throw new InvalidOperationException("The district was loaded already.");
        int buildings = district.Buildings.Length, sensors = district.Sensors.Length;
        SiloStatistics before = silo.GetStatistics();
        memory.ResetPeak();
        long started = Stopwatch.GetTimestamp();
        LoadReport report = await DistrictLoader.LoadAsync(silo, district, progress, cancellationToken);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        district = null;
        SiloStatistics after = silo.GetStatistics();
        long rss = MemorySampler.CurrentRss();
        long peak = memory.PeakRss;

        // The live heap after a full collection is what the twin holds; without it the figure includes garbage the
        // loader left, which varies with GC timing.
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        long created = after.ActivationsCreated - before.ActivationsCreated;
        Figures = new DistrictFigures(
            buildings, sensors, buildings == 0 ? 0 : Math.Round((double)sensors / buildings, 2),
            report.Total, 0, Math.Round(elapsed.TotalSeconds, 3), after.Activations, Math.Round(created / elapsed.TotalSeconds, 1),
            rss, peak, heap, after.StorageWrites - before.StorageWrites);
    }
}
