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
/// alerts (geofence enter/exit events still happen, as on a real day). Not thread-safe: one driver loop calls it.
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
    private readonly GeoBox _box;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private int _next;

    /// <summary>Prepares positions for every vehicle of <paramref name="district"/>; the same seed gives the same walk.</summary>
    public VehiclePositionGenerator(District district, int seed, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(district);
        Vehicle[] fleet = district.Vehicles.Where(v => v.Kind is VehicleKind.PatrolCar or VehicleKind.MuckTruck).ToArray();
        _ids = fleet.Select(v => v.Id).ToArray();
        _muck = fleet.Select(v => v.Kind == VehicleKind.MuckTruck).ToArray();
        _positions = fleet.Select(v => v.Position).ToArray();
        _box = district.Box;
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
            _positions[v] = Step(v, speedKmh / 3.6 * FixIntervalSeconds);
            var fix = new VehiclePosition(_positions[v], now, speedKmh, _muck[v] ? true : null, _muck[v] ? Math.Round(8 + 17 * _random.NextDouble(), 1) : null);
            batch.Add(new VehiclePositionInput(i, _ids[v], fix));
        }

        return batch;
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
