using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CityTwin.Scenarios.Models;

namespace CityTwin.Bench;

/// <summary>
/// Scenario physics at city scale: a 6-hour storm on 100,000 flood cells at 60 s steps (target at most 10 s, i.e.
/// at least 2,160x real time) and a Gaussian plume over 50,000 buildings (target at most 200 ms), the latter against
/// a naive per-receptor-object version.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PhysicsBenchmarks
{
    private const int Receptors = 50_000;

    private FloodGrid _grid = null!;
    private Hyetograph _storm = null!;
    private GaussianPlume _plume = null!;
    private double[] _x = null!;
    private double[] _y = null!;
    private double[] _concentration = null!;

    /// <summary>Builds a 320 x 313 grid of 100 m cells (100,160 cells) with hills, pits and mixed land cover, and 50,000 receptors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _grid = new FloodGrid(320, 313, 100);
        for (int row = 0; row < _grid.Rows; row++)
        {
            for (int col = 0; col < _grid.Columns; col++)
            {
                int i = _grid.IndexOf(col, row);
                _grid.ElevationM[i] = (20 * Math.Sin(col * 0.05) * Math.Cos(row * 0.04)) + (0.01 * col) + (random.NextDouble() * 0.5);
                _grid.CurveNumber[i] = 70 + (random.NextDouble() * 28);
                _grid.DrainageCapacityMmPerHour[i] = 20;
            }
        }

        // 200 mm in 6 h, Chicago-shaped: beyond a red rainstorm (100 mm in 3 h).
        _storm = Hyetograph.Chicago(200, TimeSpan.FromHours(6), TimeSpan.FromMinutes(5));

        _plume = new GaussianPlume(10, 2, 3, StabilityClass.D, DispersionScheme.BriggsUrban);
        _x = new double[Receptors];
        _y = new double[Receptors];
        _concentration = new double[Receptors];
        for (int i = 0; i < Receptors; i++)
        {
            _x[i] = 400_000 + (random.NextDouble() * 10_000);
            _y[i] = 3_390_000 + (random.NextDouble() * 10_000);
        }
    }

    /// <summary>6 h of rain at 60 s steps on 100,160 cells, runoff + drainage + routing; returns the peak depth.</summary>
    [Benchmark]
    [BenchmarkCategory("Flood")]
    public double Flood_6h_60s_100k_cells()
    {
        var model = new CellularFloodModel(_grid);
        model.Run(_storm, 60, 6 * 3600);
        double max = 0;
        foreach (double d in model.MaxDepthM)
        {
            max = Math.Max(max, d);
        }

        return max;
    }

    /// <summary>Plume over 50,000 receptors into a preallocated array.</summary>
    [Benchmark]
    [BenchmarkCategory("Plume")]
    public double Plume_50k_receptors_vectorised()
    {
        _plume.Evaluate(405_000, 3_395_000, 225, _x, _y, 1.5, _concentration);
        return _concentration[0];
    }

    /// <summary>The naive way: an object per receptor, trigonometry per receptor, and a LINQ pass.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Plume")]
    public double Plume_50k_receptors_naive_objects()
    {
        var results = new List<NaiveReceptor>();
        for (int i = 0; i < Receptors; i++)
        {
            var receptor = new NaiveReceptor(_x[i], _y[i]);
            double dx = receptor.X - 405_000;
            double dy = receptor.Y - 3_395_000;
            double bearing = Math.Atan2(dx, dy);
            double distance = Math.Sqrt((dx * dx) + (dy * dy));
            double towards = (225 + 180) * Math.PI / 180;
            receptor.Downwind = distance * Math.Cos(bearing - towards);
            receptor.Crosswind = distance * Math.Sin(bearing - towards);
            receptor.Concentration = new GaussianPlume(10, 2, 3, StabilityClass.D, DispersionScheme.BriggsUrban).Concentration(receptor.Downwind, receptor.Crosswind, 1.5);
            results.Add(receptor);
        }

        return results.Where(r => r.Concentration > 0).Sum(r => r.Concentration);
    }

    private sealed class NaiveReceptor(double x, double y)
    {
        public double X { get; } = x;

        public double Y { get; } = y;

        public double Downwind { get; set; }

        public double Crosswind { get; set; }

        public double Concentration { get; set; }
    }
}
