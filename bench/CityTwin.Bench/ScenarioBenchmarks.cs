using BenchmarkDotNet.Attributes;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Forks;
using CityTwin.Scenarios.Runs;

namespace CityTwin.Bench;

/// <summary>
/// The scenario runner end to end on a fork (the physics engineer's PhysicsBenchmarks time the bare models): six hours
/// of rainfall at 60 s steps on a 316 x 316 raster (99,856 cells; target at most 10 s) including reading the cells from
/// the fork, pushing depths to cell grains every 10 simulated minutes, gauge readings and advancing the fork's clock;
/// and a gas-leak run over 50,000 buildings, whose vectorised plume evaluation is reported as plumeMilliseconds
/// (target at most 200 ms). Each invocation gets a fresh fork, made outside the timing.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
[MemoryDiagnoser]
public class ScenarioBenchmarks
{
    private TwinSandbox? _cells;
    private TwinSandbox? _buildings;
    private TwinFork? _fork;
    private ScenarioDefinition _storm = null!;
    private ScenarioDefinition _leak = null!;

    /// <summary>Loads a 31.6 km district (99,856 cells, 2,000 buildings) for the storm.</summary>
    [GlobalSetup(Target = nameof(RainfallSixHoursOn100kCells))]
    public async Task SetupStormAsync()
    {
        _cells = await TwinSandbox.CreateAsync(DistrictGenerator.Generate(new DistrictOptions { Seed = 7, SizeKm = 31.6, Buildings = 2_000 }));
        _storm = StockScenarios.Load("heavy-rainfall");
    }

    /// <summary>Loads a 5 km district with 50,000 buildings for the gas leak.</summary>
    [GlobalSetup(Target = nameof(GasLeakOver50kBuildings))]
    public async Task SetupLeakAsync()
    {
        _buildings = await TwinSandbox.CreateAsync(DistrictGenerator.Generate(new DistrictOptions { Seed = 7, Buildings = 50_000 }));
        _leak = StockScenarios.Load("gas-leak") with { Duration = TimeSpan.FromMinutes(10), ReportEvery = TimeSpan.FromMinutes(10) };
    }

    /// <summary>Releases the district of the benchmark that ran.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_cells is not null)
        {
            await _cells.DisposeAsync();
        }

        if (_buildings is not null)
        {
            await _buildings.DisposeAsync();
        }
    }

    /// <summary>A fresh fork of the raster district.</summary>
    [IterationSetup(Target = nameof(RainfallSixHoursOn100kCells))]
    public void ForkCells() => _fork = _cells!.ForkAsync().GetAwaiter().GetResult();

    /// <summary>A fresh fork of the 50,000-building district.</summary>
    [IterationSetup(Target = nameof(GasLeakOver50kBuildings))]
    public void ForkBuildings() => _fork = _buildings!.ForkAsync().GetAwaiter().GetResult();

    /// <summary>Releases the fork.</summary>
    [IterationCleanup]
    public void ReleaseFork()
    {
        _fork?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _fork = null;
    }

    /// <summary>The stock red rainstorm (6 h at 60 s steps) through the runner on 99,856 cells.</summary>
    [Benchmark]
    public async Task<double> RainfallSixHoursOn100kCells()
    {
        ScenarioResult result = await ScenarioRunner.RunAsync(_fork!, _storm);

        // Where the time went, for the log (grep "ScenarioRun:"); push and advance overlap the physics.
        Console.WriteLine("ScenarioRun: " + string.Join(", ", new[] { "readCellsSeconds", "physicsSeconds", "pushSeconds", "advanceSeconds", "waitSeconds", "reportSeconds", "cellGrainUpdates" }
            .Select(k => $"{k} {result.Figures[k]}")));
        return result.Figures["physicsSeconds"];
    }

    /// <summary>The stock gas leak through the runner over 50,000 buildings (and every cell).</summary>
    [Benchmark]
    public async Task<double> GasLeakOver50kBuildings()
    {
        ScenarioResult result = await ScenarioRunner.RunAsync(_fork!, _leak);
        return result.Figures["plumeMilliseconds"];
    }
}
