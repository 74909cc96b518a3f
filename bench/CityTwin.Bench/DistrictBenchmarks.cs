using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CityTwin.Grains.Geo;
using CityTwin.Scenarios.District;

namespace CityTwin.Bench;

/// <summary>
/// District generation at load-test scale (50,000 buildings, ~325,000 sensors), and a 500 m radius query over
/// 300,000 live sensor positions: the cell-hash index against a brute-force scan of the same projected points.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DistrictBenchmarks
{
    private const int IndexedPoints = 300_000;
    private const double RadiusMetres = 500;

    private readonly List<SpatialHit<int>> _hits = new(capacity: 32_768);
    private PointGridIndex<int>? _index;
    private UtmProjection? _projection;
    private double[] _xs = [];
    private double[] _ys = [];
    private GeoPoint[] _positions = [];
    private GeoPoint[] _queries = [];
    private int _next;

    /// <summary>Indexes the first 300,000 sensors of a generated 50,000-building district.</summary>
    [GlobalSetup(Targets = [nameof(NearIndexed), nameof(NearBruteForce)])]
    public void SetupIndex()
    {
        District district = DistrictGenerator.Generate(new DistrictOptions { Seed = 1, Buildings = 50_000 });
        _projection = district.CreateProjection();
        _positions = district.Sensors.Take(IndexedPoints).Select(s => s.Position).ToArray();
        int[] keys = Enumerable.Range(0, _positions.Length).ToArray();

        // 250 m cells: a 500 m query visits 5 x 5 cells.
        _index = new PointGridIndex<int>(_projection, cellSizeMetres: 250);
        _index.UpsertMany(keys, _positions);

        var projected = new ProjectedPoint[_positions.Length];
        _projection.Forward(_positions, projected);
        _xs = projected.Select(p => p.X).ToArray();
        _ys = projected.Select(p => p.Y).ToArray();

        // Query centres at random buildings, so every query lands where sensors are dense.
        var random = new Random(42);
        _queries = Enumerable.Range(0, 256).Select(_ => district.Buildings[random.Next(district.Buildings.Length)].Centroid).ToArray();
    }

    /// <summary>Releases the index.</summary>
    [GlobalCleanup(Targets = [nameof(NearIndexed), nameof(NearBruteForce)])]
    public void CleanupIndex() => _index?.Dispose();

    /// <summary>Generates a 5 km district with 50,000 buildings.</summary>
    [Benchmark]
    [BenchmarkCategory("Generate")]
    public long Generate50kBuildings() => DistrictGenerator.Generate(new DistrictOptions { Seed = 1, Buildings = 50_000 }).Counts.Grains;

    /// <summary>500 m near query through the cell-hash index.</summary>
    [Benchmark]
    [BenchmarkCategory("Near500m")]
    public int NearIndexed() => _index!.Near(NextQuery(), RadiusMetres, _hits);

    /// <summary>500 m near query by scanning every projected point (same centre projection and distance test).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Near500m")]
    public int NearBruteForce()
    {
        GeoPoint centre = NextQuery();
        ProjectedPoint c = _projection!.Forward(centre);
        double r2 = RadiusMetres * RadiusMetres;
        _hits.Clear();
        double[] xs = _xs, ys = _ys;
        for (int i = 0; i < xs.Length; i++)
        {
            double dx = xs[i] - c.X, dy = ys[i] - c.Y;
            double d2 = (dx * dx) + (dy * dy);
            if (d2 <= r2)
            {
                _hits.Add(new SpatialHit<int>(i, _positions[i], Math.Sqrt(d2)));
            }
        }

        return _hits.Count;
    }

    private GeoPoint NextQuery() => _queries[_next++ & (_queries.Length - 1)];
}
