using CityTwin.Grains.Model;
using CityTwin.Scenarios.District;

namespace CityTwin.TwinApi.Simulation;

/// <summary>
/// The values of a living city at a moment: water use that follows the day (low at night, peaks in the morning and the
/// evening, local time from the district's longitude), one weather for the whole district (rain spells, wind, air pressure
/// and soil moisture drifting smoothly, every sensor of a kind reading it with its own small noise), quiet hazard
/// sensors, and, at the configured chances per reading, a rare alarm (a hazard sensor at its alarm point, a pressed SOS
/// button) or fault (a low battery report). Seeded through the caller's <see cref="Random"/>; not thread-safe.
/// </summary>
public sealed class CityRhythm(double alarmChance, double faultChance, double utcOffsetHours, string batteryUnit = "battery%")
{
    // Household water use by local hour, as a share of the morning peak (double-peaked diurnal demand curve).
    private static readonly double[] WaterUse =
        [0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.6, 1.0, 0.8, 0.45, 0.4, 0.45, 0.6, 0.5, 0.35, 0.35, 0.4, 0.55, 0.85, 0.9, 0.75, 0.55, 0.3, 0.12];

    private DateTimeOffset? _weatherAt;
    private bool _raining;
    private double _rainMmH;
    private double _windMs = 3;
    private double _pressureHpa = 1012;
    private double _soilPercent = 22;

    /// <summary>Alarms made so far.</summary>
    public long Alarms { get; private set; }

    /// <summary>Faults made so far.</summary>
    public long Faults { get; private set; }

    /// <summary>The reading of a sensor of <paramref name="kind"/> at <paramref name="now"/>, and its unit when it is not the profile's.</summary>
    public (double Value, string? Unit) Next(SensorKind kind, SensorProfile? profile, DateTimeOffset now, Random random)
    {
        AdvanceWeather(now, random);
        if (faultChance > 0 && random.NextDouble() < faultChance)
        {
            Faults++;
            return (Math.Round(5 + 10 * random.NextDouble(), 1), batteryUnit);
        }

        bool hazard = kind is SensorKind.Gas or SensorKind.Smoke or SensorKind.CarbonMonoxide or SensorKind.SosButton;
        if (hazard && alarmChance > 0 && random.NextDouble() < alarmChance)
        {
            Alarms++;
            return (kind == SensorKind.SosButton ? 1 : Math.Round((profile?.Alarm ?? 1) * (1.1 + 0.5 * random.NextDouble()), 3), null);
        }

        double noise = random.NextDouble() - 0.5;
        double value = kind switch
        {
            SensorKind.WaterMeter => WaterMeter(now, random),
            SensorKind.Rain => _raining ? Math.Max(0, _rainMmH * (1 + 0.2 * noise)) : 0,
            SensorKind.Wind => Math.Max(0, _windMs * (1 + 0.3 * noise)),
            SensorKind.AirPressure => _pressureHpa + noise,
            SensorKind.SoilMoisture => _soilPercent + 2 * noise,
            SensorKind.Pm10 => Math.Max(5, (_raining ? 25 : 60) * (1 + 0.6 * noise) * (0.6 + 0.6 * Share(now))),
            SensorKind.Parking => random.NextDouble() < 0.3 + 0.5 * Share(now) ? 1 : 0,
            SensorKind.SosButton => 0,
            SensorKind.WaterLevel => 1 + 0.1 * noise + (_raining ? _rainMmH / 100 : 0),
            _ when (profile?.Warning ?? profile?.Alarm) is { } threshold => threshold * 0.2 * random.NextDouble(),
            _ => random.NextDouble(),
        };
        return (Math.Round(value, 3), null);
    }

    /// <summary>The share of the morning peak of water use at <paramref name="now"/> (local time).</summary>
    public double Share(DateTimeOffset now)
    {
        double hour = (now.UtcDateTime.TimeOfDay.TotalHours + utcOffsetHours + 48) % 24;
        int h = (int)hour;
        double f = hour - h;
        return WaterUse[h] * (1 - f) + WaterUse[(h + 1) % 24] * f;
    }

    private double WaterMeter(DateTimeOffset now, Random random)
    {
        // A home draws water in bursts: the share of the peak is the chance that a tap is running at this reading.
        double share = Share(now);
        return random.NextDouble() < share ? 20 + 100 * share * random.NextDouble() : 0;
    }

    /// <summary>Moves the district's weather on by whole minutes since it last moved (a first call starts it).</summary>
    private void AdvanceWeather(DateTimeOffset now, Random random)
    {
        if (_weatherAt is null)
        {
            _weatherAt = now;
            return;
        }

        int minutes = (int)Math.Min(24 * 60, (now - _weatherAt.Value).TotalMinutes);
        for (int i = 0; i < minutes; i++)
        {
            // A rain spell starts about once in 12 hours and lasts about 90 minutes; its intensity wanders around 6 mm/h.
            if (_raining)
            {
                _raining = random.NextDouble() >= 1.0 / 90;
                _rainMmH = Math.Clamp(_rainMmH + (6 - _rainMmH) * 0.05 + 1.5 * Gaussian(random), 0.2, 60);
            }
            else if (random.NextDouble() < 1.0 / 720)
            {
                _raining = true;
                _rainMmH = 2 + 4 * random.NextDouble();
            }

            // Mean-reverting drifts (Ornstein-Uhlenbeck steps): wind about 3 m/s, pressure about 1012 hPa (lower in rain),
            // soil moisture rising while it rains and drying slowly after.
            _windMs = Math.Clamp(_windMs + (3 - _windMs) * 0.02 + 0.3 * Gaussian(random), 0, 25);
            _pressureHpa = Math.Clamp(_pressureHpa + ((_raining ? 1004 : 1012) - _pressureHpa) * 0.005 + 0.1 * Gaussian(random), 970, 1040);
            _soilPercent = Math.Clamp(_soilPercent + (_raining ? _rainMmH * 0.01 : -0.002), 10, 48);
        }

        _weatherAt = _weatherAt.Value.AddMinutes(minutes);
    }

    // Box-Muller.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
