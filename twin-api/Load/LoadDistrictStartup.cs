using System.Diagnostics;
using CityTwin.Grains.Cases;
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
    public async Task RunAsync(IServiceProvider services, SiloStore store, CancellationToken cancellationToken)
    {
        District? district = Interlocked.Exchange(ref _district, null) ?? throw new InvalidOperationException("The district was loaded already.");
        int buildings = district.Buildings.Length, sensors = district.Sensors.Length;
        SiloStatisticsReader statistics = services.GetRequiredService<SiloStatisticsReader>();

        // Made here, before the load, so it counts the load's writes (a singleton: the run reads it afterwards).
        StateWriteCounter? stateWrites = services.GetService<StateWriteCounter>();

        // As the live server does, the case list is restored (a store may hold cases) and the intake started before the
        // district loads, so the alerts the load raises open cases. The monitor of silent sensors is not started: it
        // would add its own traffic to the figures.
        await CaseLoop.StartAsync(services, store.States, cancellationToken);
        SiloStatistics before = await statistics.ReadAsync();
        long writesBefore = stateWrites?.Writes ?? 0;
        memory.ResetPeak();
        long started = Stopwatch.GetTimestamp();
        LoadReport report = await DistrictLoader.LoadAsync(services, district, progress, cancellationToken);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        district = null;
        SiloStatistics after = await statistics.ReadAsync();
        long writes = (stateWrites?.Writes ?? 0) - writesBefore;
        long rss = MemorySampler.CurrentRss();
        long peak = memory.PeakRss;

        // The live heap after a full collection is what the twin holds; without it the figure includes garbage the
        // loader left, which varies with GC timing.
        long heap = GC.GetTotalMemory(forceFullCollection: true);

        // Orleans reports the activations there are, not how many were ever created; idle collection runs minutes apart,
        // so over a load the growth is the activations the load created.
        long created = Math.Max(0, after.Activations - before.Activations);
        Figures = new DistrictFigures(
            buildings, sensors, buildings == 0 ? 0 : Math.Round((double)sensors / buildings, 2),
            report.Total, 0, Math.Round(elapsed.TotalSeconds, 3), after.Activations, Math.Round(created / elapsed.TotalSeconds, 1),
            rss, peak, heap, writes);
    }
}
