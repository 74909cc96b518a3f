using CityTwin.Grains.Geo;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Tests.Geo;

public sealed class PointGridIndexTests : IDisposable
{
    private static readonly GeoPoint Centre = new(104.0657, 30.6595);
    private readonly UtmProjection _utm = UtmProjection.ForCentre(Centre);
    private readonly PointGridIndex<int> _index;
    private readonly Dictionary<int, GeoPoint> _truth = new();
    private readonly Random _random = new(1234);
    private readonly ProjectedPoint _origin;

    public PointGridIndexTests()
    {
        _index = new PointGridIndex<int>(_utm, cellSizeMetres: 200);
        _origin = _utm.Forward(Centre);
        int[] keys = Enumerable.Range(0, 20_000).ToArray();
        GeoPoint[] positions = keys.Select(_ => RandomPoint()).ToArray();
        _index.UpsertMany(keys, positions);
        for (int i = 0; i < keys.Length; i++)
        {
            _truth[keys[i]] = positions[i];
        }
    }

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Near_matches_brute_force()
    {
        Assert.Equal(_truth.Count, _index.Count);
        CheckNearQueries(40);
    }

    [Fact]
    public void Near_matches_brute_force_when_the_radius_spans_too_many_cells_to_order()
    {
        // 7-9 km over 200 m cells: more than 4,096 cells in the query's square, visited row by row instead of nearest first.
        var hits = new List<SpatialHit<int>>();
        foreach (double radius in new[] { 7_000.0, 9_000.0 })
        {
            GeoPoint centre = Hop(Centre, 4_000);
            ProjectedPoint c = _utm.Forward(centre);
            _index.Near(centre, radius, hits);
            int[] expected = _truth.Where(kv => _utm.Forward(kv.Value).DistanceTo(c) <= radius).Select(kv => kv.Key).Order().ToArray();
            Assert.Equal(expected, hits.Select(h => h.Key).Order().ToArray());
        }
    }

    [Fact]
    public void Near_visits_cells_nearest_first()
    {
        // A hit in a later cell is never nearer than an earlier hit by more than a cell's diagonal (200 m cells): the
        // entity query relies on this to fill its nearest page early and decide later hits on distance alone.
        double diagonal = 200 * Math.Sqrt(2);
        var hits = new List<SpatialHit<int>>();
        for (int q = 0; q < 20; q++)
        {
            _index.Near(Hop(Centre, 2_000), 300 + (_random.NextDouble() * 900), hits);
            Assert.True(hits.Count > 100);
            double farthestSoFar = 0;
            foreach (SpatialHit<int> hit in hits)
            {
                Assert.True(hit.DistanceMetres >= farthestSoFar - diagonal, $"{hit.DistanceMetres:0.0} m came after a hit at {farthestSoFar:0.0} m");
                farthestSoFar = Math.Max(farthestSoFar, hit.DistanceMetres);
            }
        }
    }

    [Fact]
    public void Box_matches_brute_force()
    {
        CheckBoxQueries(30);
    }

    [Fact]
    public void Within_matches_brute_force_for_convex_and_concave_polygons()
    {
        CheckWithinQueries(20);
    }

    [Fact]
    public void A_full_scan_visits_every_key_once_at_its_position()
    {
        _index.Remove(7);
        _truth.Remove(7);
        var seen = new Dictionary<int, GeoPoint>();
        var visitor = new Recorder(seen);

        _index.ForEach(ref visitor);

        Assert.Equal(_truth.Count, visitor.Visits);
        Assert.Equal(_truth.OrderBy(kv => kv.Key), seen.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Queries_stay_correct_after_moves_removals_and_inserts()
    {
        int[] keys = _truth.Keys.ToArray();
        foreach (int key in keys)
        {
            double roll = _random.NextDouble();
            if (roll < 0.3)
            {
                // A short hop (a vehicle's next fix) or a jump across the district.
                GeoPoint to = roll < 0.2 ? Hop(_truth[key], 60) : RandomPoint();
                _index.Upsert(key, to);
                _truth[key] = to;
            }
            else if (roll < 0.4)
            {
                Assert.True(_index.Remove(key));
                _truth.Remove(key);
            }
        }

        for (int key = 100_000; key < 102_000; key++)
        {
            GeoPoint p = RandomPoint();
            _index.Upsert(key, p);
            _truth[key] = p;
        }

        Assert.False(_index.Remove(-1));
        Assert.Equal(_truth.Count, _index.Count);
        foreach ((int key, GeoPoint p) in _truth.Take(500))
        {
            Assert.True(_index.TryGetPosition(key, out GeoPoint stored));
            Assert.Equal(p, stored);
        }

        CheckNearQueries(30);
        CheckBoxQueries(15);
        CheckWithinQueries(10);
    }

    [Fact]
    public void Nearest_returns_the_closest_keys_in_order()
    {
        GeoPoint centre = RandomPoint();

        List<SpatialHit<int>> nearest = _index.Nearest(centre, 5, 2_000);

        int[] expected = _truth.OrderBy(kv => _utm.DistanceMetres(centre, kv.Value)).Take(5).Select(kv => kv.Key).ToArray();
        Assert.Equal(expected, nearest.Select(h => h.Key).ToArray());
        Assert.True(nearest.Zip(nearest.Skip(1)).All(pair => pair.First.DistanceMetres <= pair.Second.DistanceMetres));
    }

    [Fact]
    public void Radius_edge_is_inclusive_and_zero_radius_finds_an_exact_position()
    {
        using var index = new PointGridIndex<string>(_utm, 100);
        ProjectedPoint o = _utm.Forward(Centre);
        index.Upsert("here", Centre);
        index.Upsert("east-500", _utm.Inverse(new ProjectedPoint(o.X + 500, o.Y)));
        index.Upsert("east-501", _utm.Inverse(new ProjectedPoint(o.X + 501, o.Y)));

        Assert.Equal(["here"], index.Near(Centre, 0).Select(h => h.Key));
        Assert.Equal(["east-500", "here"], index.Near(Centre, 500.000001).Select(h => h.Key).Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Near(Centre, -1));
    }

    [Fact]
    public async Task Readers_run_safely_while_a_writer_moves_points()
    {
        int[] keys = _truth.Keys.ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Task writer = Task.Run(() =>
        {
            var random = new Random(5);
            while (!stop.IsCancellationRequested)
            {
                int key = keys[random.Next(keys.Length)];
                _index.Upsert(key, Hop(_truth[key], 300, random));
            }
        });
        Task[] readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            var hits = new List<SpatialHit<int>>();
            while (!stop.IsCancellationRequested)
            {
                _index.Near(Hop(Centre, 2_000, random), 400, hits);
                Assert.All(hits, h => Assert.InRange(h.DistanceMetres, 0, 400));
                Assert.Equal(hits.Count, hits.Select(h => h.Key).Distinct().Count());
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]);

        Assert.Equal(keys.Length, _index.Count);
    }

    private void CheckNearQueries(int count)
    {
        var hits = new List<SpatialHit<int>>();
        for (int q = 0; q < count; q++)
        {
            GeoPoint centre = Hop(Centre, 3_000);
            double radius = _random.NextDouble() * 1_500;
            ProjectedPoint c = _utm.Forward(centre);

            _index.Near(centre, radius, hits);

            int[] expected = _truth.Where(kv => _utm.Forward(kv.Value).DistanceTo(c) <= radius).Select(kv => kv.Key).Order().ToArray();
            Assert.Equal(expected, hits.Select(h => h.Key).Order().ToArray());
            foreach (SpatialHit<int> hit in hits)
            {
                Assert.Equal(_truth[hit.Key], hit.Position);
                Assert.Equal(_utm.Forward(hit.Position).DistanceTo(c), hit.DistanceMetres, 1e-6);
            }
        }
    }

    private void CheckBoxQueries(int count)
    {
        for (int q = 0; q < count; q++)
        {
            GeoPoint a = Hop(Centre, 3_000), b = Hop(Centre, 3_000);
            var box = new GeoBox(Math.Min(a.Lon, b.Lon), Math.Min(a.Lat, b.Lat), Math.Max(a.Lon, b.Lon), Math.Max(a.Lat, b.Lat));

            int[] actual = _index.InBox(box).Select(e => e.Key).Order().ToArray();

            int[] expected = _truth.Where(kv => box.Contains(kv.Value)).Select(kv => kv.Key).Order().ToArray();
            Assert.Equal(expected, actual);
        }
    }

    private void CheckWithinQueries(int count)
    {
        for (int q = 0; q < count; q++)
        {
            // A star with random arm lengths: concave, and sometimes with very thin spikes.
            GeoPoint centre = Hop(Centre, 2_000);
            int arms = _random.Next(3, 9);
            var ring = new GeoPoint[arms * 2];
            ProjectedPoint c = _utm.Forward(centre);
            for (int i = 0; i < ring.Length; i++)
            {
                double angle = Math.PI * i / arms;
                double r = (i % 2 == 0 ? 400 : 150) + (_random.NextDouble() * 1_000);
                ring[i] = _utm.Inverse(new ProjectedPoint(c.X + (r * Math.Cos(angle)), c.Y + (r * Math.Sin(angle))));
            }

            Polygon polygon = GeoGeometry.ToPolygon(ring);
            Geometry projected = _utm.Forward(polygon);

            int[] actual = _index.Within(polygon).Select(e => e.Key).Order().ToArray();

            int[] expected = _truth
                .Where(kv => projected.Covers(projected.Factory.CreatePoint(ToCoordinate(_utm.Forward(kv.Value)))))
                .Select(kv => kv.Key).Order().ToArray();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }
    }

    private static Coordinate ToCoordinate(ProjectedPoint p) => new(p.X, p.Y);

    private GeoPoint RandomPoint() => Hop(Centre, 2_500);

    private GeoPoint Hop(GeoPoint from, double metres, Random? random = null)
    {
        random ??= _random;
        ProjectedPoint p = _utm.Forward(from);
        return _utm.Inverse(new ProjectedPoint(
            p.X + ((random.NextDouble() * 2 - 1) * metres),
            p.Y + ((random.NextDouble() * 2 - 1) * metres)));
    }

    private struct Recorder(Dictionary<int, GeoPoint> seen) : ISpatialVisitor<int>
    {
        public int Visits { get; private set; }

        public void Visit(int key, GeoPoint position, double distanceMetres)
        {
            Visits++;
            Assert.True(double.IsNaN(distanceMetres));
            seen[key] = position;
        }
    }
}
