using CityTwin.Grains.Model;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Loading;
using CityTwin.TwinApi.Ingest;
using CityTwin.TwinApi.Simulation;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Makes batches of plausible readings for a generated district: sensors are visited in a seeded random order, one full
/// pass before any sensor repeats, so a batch touches distinct grains as a city's uncoordinated devices do. Values stay
/// in each kind's normal range (no alarms), because the harness measures steady ingest, not alert fan-out; with a
/// <see cref="CityRhythm"/> (the demo's simulation) they follow the day and the weather, with its rare alarms and faults.
/// Not thread-safe: one driver loop calls it.
/// </summary>
public sealed class TelemetryGenerator
{
    private readonly string[] _ids;
    private readonly SensorKind[] _kinds;
    private readonly int[] _order;
    private readonly Dictionary<SensorKind, SensorProfile> _profiles;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly int _seed;
    private readonly CityRhythm? _rhythm;
    private int _next;

    /// <summary>Prepares readings for every sensor of <paramref name="district"/>; the same seed gives the same sequence.</summary>
    public TelemetryGenerator(District district, int seed, TimeProvider? time = null)
        : this(
            district?.Sensors.Select(s => DistrictLoader.SensorId(s.Id)).ToArray() ?? throw new ArgumentNullException(nameof(district)),
            district.Sensors.Select(s => s.Kind).ToArray(),
            district.SensorProfiles.ToDictionary(p => p.Kind),
            seed,
            time ?? TimeProvider.System)
    {
    }

    /// <summary>
    /// Prepares readings for the sensors <paramref name="ids"/> of <paramref name="kinds"/> (e.g. a live twin's, from its
    /// read model), with values from <paramref name="rhythm"/> when given; the same seed gives the same sequence.
    /// </summary>
    public TelemetryGenerator(string[] ids, SensorKind[] kinds, IEnumerable<SensorProfile> profiles, int seed, TimeProvider time, CityRhythm? rhythm)
        : this(ids, kinds, profiles.ToDictionary(p => p.Kind), seed, time)
    {
        _rhythm = rhythm;
    }

    private TelemetryGenerator(string[] ids, SensorKind[] kinds, Dictionary<SensorKind, SensorProfile> profiles, int seed, TimeProvider time)
    {
        if (ids.Length == 0)
        {
            throw new ArgumentException("The district has no sensors to send readings for.", nameof(ids));
        }

        _ids = ids;
        _kinds = kinds;
        _profiles = profiles;
        _seed = seed;
        _random = new Random(seed);
        _time = time;
        _order = Enumerable.Range(0, _ids.Length).ToArray();
        _random.Shuffle(_order);
    }

    /// <summary>Sensors readings are made for.</summary>
    public int SensorCount => _ids.Length;

    /// <summary>The grain keys of the sensors ("s&lt;n&gt;").</summary>
    public IReadOnlyList<string> SensorIds => _ids;

    /// <summary>A new generator over the same sensors and seed: it makes the same readings again, from the start.</summary>
    public TelemetryGenerator Restart() => new(_ids, _kinds, _profiles.Values, _seed, _time, _rhythm);

    /// <summary>The next <paramref name="size"/> readings, all stamped now.</summary>
    public List<ReadingInput> NextBatch(int size)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var batch = new List<ReadingInput>(size);
        for (int i = 0; i < size; i++)
        {
            int sensor = _order[_next];
            _next = _next + 1 == _order.Length ? 0 : _next + 1;
            SensorKind kind = _kinds[sensor];
            SensorProfile? profile = _profiles.GetValueOrDefault(kind);
            if (_rhythm is null)
            {
                batch.Add(new ReadingInput(_ids[sensor], NormalValue(kind, profile), profile?.Unit, now));
            }
            else
            {
                (double value, string? unit) = _rhythm.Next(kind, profile, now, _random);
                batch.Add(new ReadingInput(_ids[sensor], value, unit ?? profile?.Unit, now));
            }
        }

        return batch;
    }

    private double NormalValue(SensorKind kind, SensorProfile? profile)
    {
        double u = _random.NextDouble();
        double value = kind switch
        {
            SensorKind.SosButton or SensorKind.Parking => u < 0.5 ? 0 : kind == SensorKind.Parking ? 1 : 0,
            SensorKind.WaterMeter => 30 * u,
            SensorKind.WaterLevel => 1 + u,
            _ when profile?.Warning is { } warning && profile.AlarmWhenBelow => warning * (1.02 + 0.02 * u),
            _ when (profile?.Warning ?? profile?.Alarm) is { } threshold => threshold * 0.4 * u,
            _ => 100 * u,
        };
        return Math.Round(value, 3);
    }
}
