using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Makes position reports for a generated district's patrol cars and muck trucks, the fleets that drive and report all
/// day (fire engines and ambulances mostly wait at their stations). Each vehicle drives from its starting point in a seeded
/// random walk (0-50 km/h, a fix every 10 s of its own, kept inside the district), vehicles taking turns in a shuffled
/// order. Muck trucks report covered and within the load limit, so the harness measures ingest rather than violation
/// alerts (geofence enter/exit events still happen, as on a real day). A vehicle given a route (the demo's muck trucks:
/// their site and a disposal point) drives it back and forth instead, loaded towards the disposal point and empty
/// back. Not thread-safe: one driver loop calls it.
/// </summary>
public sealed class VehiclePositionGenerator
{
    private const double MetresPerDegreeLat = 111_320;
    private const double FixIntervalSeconds = 10;

    private readonly string[] _ids;
    private readonly bool[] _muck;
    private readonly GeoPoint[] _positions;
    private readonly double[] _headings;
    private readonly int[] _order;
    private readonly (GeoPoint From, GeoPoint To)?[] _routes;
    private readonly bool[] _returning;
    private readonly GeoBox _box;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private int _next;

    /// <summary>Prepares positions for every vehicle of <paramref name="district"/>; the same seed gives the same walk.</summary>
    public VehiclePositionGenerator(District district, int seed, TimeProvider? time = null)
        : this(Fleet(district), district.Box, seed, time)
    {
    }

    /// <summary>
    /// Prepares positions for <paramref name="fleet"/> (id, muck truck or not, where it is, and its route if it drives
    /// one) inside <paramref name="box"/>; the same seed gives the same walk.
    /// </summary>
    public VehiclePositionGenerator(IReadOnlyList<(string Id, bool Muck, GeoPoint Position, (GeoPoint From, GeoPoint To)? Route)> fleet, GeoBox box, int seed, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        _ids = fleet.Select(v => v.Id).ToArray();
        _muck = fleet.Select(v => v.Muck).ToArray();
        _positions = fleet.Select(v => v.Position).ToArray();
        _routes = fleet.Select(v => v.Route).ToArray();
        _returning = new bool[_ids.Length];
        _box = box;
        _random = new Random(seed);
        _headings = _ids.Select(_ => _random.NextDouble() * 2 * Math.PI).ToArray();
        _order = Enumerable.Range(0, _ids.Length).ToArray();
        _random.Shuffle(_order);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Vehicles positions are made for.</summary>
    public int VehicleCount => _ids.Length;

    /// <summary>The next <paramref name="size"/> position reports (empty when the district has no vehicles), stamped now.</summary>
    public List<VehiclePositionInput> NextBatch(int size)
    {
        var batch = new List<VehiclePositionInput>(size);
        if (_ids.Length == 0)
        {
            return batch;
        }

        DateTimeOffset now = _time.GetUtcNow();
        for (int i = 0; i < size; i++)
        {
            int v = _order[_next];
            _next = _next + 1 == _order.Length ? 0 : _next + 1;
            double speedKmh = Math.Round(50 * _random.NextDouble(), 1);
            double? load = _muck[v] ? Math.Round(8 + 17 * _random.NextDouble(), 1) : null;
            if (_routes[v] is { } route)
            {
                _positions[v] = Drive(v, route, speedKmh / 3.6 * FixIntervalSeconds);
                load = _returning[v] ? 0 : load;
            }
            else
            {
                _positions[v] = Step(v, speedKmh / 3.6 * FixIntervalSeconds);
            }

            var fix = new VehiclePosition(_positions[v], now, speedKmh, _muck[v] ? true : null, load);
            batch.Add(new VehiclePositionInput(i, _ids[v], fix));
        }

        return batch;
    }

    private static List<(string Id, bool Muck, GeoPoint Position, (GeoPoint From, GeoPoint To)? Route)> Fleet(District district)
    {
        ArgumentNullException.ThrowIfNull(district);
        return district.Vehicles.Where(v => v.Kind is VehicleKind.PatrolCar or VehicleKind.MuckTruck)
            .Select(v => (v.Id, v.Kind == VehicleKind.MuckTruck, v.Position, ((GeoPoint, GeoPoint)?)null)).ToList();
    }

    /// <summary>Moves vehicle <paramref name="v"/> <paramref name="metres"/> towards the end of its route it is heading for, turning at each end.</summary>
    private GeoPoint Drive(int v, (GeoPoint From, GeoPoint To) route, double metres)
    {
        GeoPoint p = _positions[v];
        GeoPoint target = _returning[v] ? route.From : route.To;
        double dy = (target.Lat - p.Lat) * MetresPerDegreeLat;
        double dx = (target.Lon - p.Lon) * MetresPerDegreeLat * Math.Cos(p.Lat * Math.PI / 180);
        double left = Math.Sqrt(dx * dx + dy * dy);
        if (left <= metres)
        {
            _returning[v] = !_returning[v];
            return target.Round(7);
        }

        double f = metres / left;
        return new GeoPoint(p.Lon + (target.Lon - p.Lon) * f, p.Lat + (target.Lat - p.Lat) * f).Round(7);
    }

    /// <summary>Moves vehicle <paramref name="v"/> <paramref name="metres"/> along its heading (which drifts), turning back at the district's edge.</summary>
    private GeoPoint Step(int v, double metres)
    {
        _headings[v] += (_random.NextDouble() - 0.5) * 0.6;
        GeoPoint p = _positions[v];
        double lat = p.Lat + metres * Math.Cos(_headings[v]) / MetresPerDegreeLat;
        double lon = p.Lon + metres * Math.Sin(_headings[v]) / (MetresPerDegreeLat * Math.Cos(p.Lat * Math.PI / 180));
        var next = new GeoPoint(lon, lat);
        if (!_box.Contains(next))
        {
            _headings[v] += Math.PI;
            return p;
        }

        return next.Round(7);
    }
}
