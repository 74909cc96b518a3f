using System.Globalization;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo.EventLog;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The persistent state of a <see cref="SensorGrain"/>: definition, last reading, rolling statistics and health. It is
/// written when the grain deactivates or the silo stops, not per reading: every reading is already durable in the event log.
/// </summary>
public sealed class SensorState : ITwinEntityState
{
    /// <summary>The logged readings this state reflects (each applied once, also across a crash and replay).</summary>
    public AppliedInputs Applied { get; set; } = new();

    /// <summary>The status while no alarm, silence or battery problem is present.</summary>
    public const string Normal = "normal";

    /// <summary>The status while a hazard reading is at or above the alarm point.</summary>
    public const string Alarm = "alarm";

    /// <summary>The status of a sensor silent for too long.</summary>
    public const string Offline = "offline";

    /// <summary>The status of a sensor whose battery is low.</summary>
    public const string LowBatteryStatus = "lowBattery";

    // Times on the silo's clock are kept as UTC ticks: 8 B each where a DateTimeOffset? takes 24 B, on every sensor.
    private long _initializedAt;
    private long _lastHeardAt;
    private long _alarmSince;
    private long _lastUseAt;

    /// <summary>The static description; null until initialised.</summary>
    public SensorDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of sensor <paramref name="key"/>; ids the read model already holds are shared.</summary>
    public void Initialize(SensorDefinition definition, string key, TwinDirectory directory, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition with
        {
            Id = TwinEntityStates.SharedId(definition.Id, key),
            BuildingId = TwinEntityStates.SharedId(directory, definition.BuildingId),
            CellId = TwinEntityStates.SharedId(directory, definition.CellId),
            GridId = TwinEntityStates.SharedId(directory, definition.GridId),
            CommunityId = TwinEntityStates.SharedId(directory, definition.CommunityId),
            StreetId = TwinEntityStates.SharedId(directory, definition.StreetId),
        };
        InitializedAt = at;
    }

    /// <summary>When the sensor was initialised (UTC).</summary>
    public DateTimeOffset InitializedAt { get => UtcTicks.ToTime(_initializedAt) ?? default; set => _initializedAt = UtcTicks.From(value); }

    /// <summary>The last measured value (battery reports excluded).</summary>
    public double? LastValue { get; set; }

    /// <summary>The unit of <see cref="LastValue"/>.</summary>
    public string? LastUnit { get; set; }

    /// <summary>When the last measurement was taken (the device's timestamp).</summary>
    public DateTimeOffset? LastReadingAt { get; set; }

    /// <summary>When the twin last heard from the sensor (the silo's clock, UTC), measurement or battery report.</summary>
    public DateTimeOffset? LastHeardAt { get => UtcTicks.ToTime(_lastHeardAt); set => _lastHeardAt = UtcTicks.From(value); }

    /// <summary>Rolling statistics of all measurements.</summary>
    public RunningStatistics Statistics { get; set; } = new();

    /// <summary>True while a hazard reading is at or above the alarm point.</summary>
    public bool InAlarm { get; set; }

    /// <summary>When the current alarm started (UTC).</summary>
    public DateTimeOffset? AlarmSince { get => UtcTicks.ToTime(_alarmSince); set => _alarmSince = UtcTicks.From(value); }

    /// <summary>True once the sensor was found silent too long; any reading clears it.</summary>
    public bool IsOffline { get; set; }

    /// <summary>The last reported battery percentage.</summary>
    public double? BatteryPercent { get; set; }

    /// <summary>True while the battery is below the low mark.</summary>
    public bool LowBattery { get; set; }

    /// <summary>Water meters: when water was last drawn (or first heard, when never), UTC.</summary>
    public DateTimeOffset? LastUseAt { get => UtcTicks.ToTime(_lastUseAt); set => _lastUseAt = UtcTicks.From(value); }

    /// <summary>Water meters: true once a welfare check was raised for the current stretch without use.</summary>
    public bool WelfareRaised { get; set; }

    /// <inheritdoc />
    public bool IsInitialized => Definition is not null;

    /// <summary>The most urgent of alarm, offline, lowBattery; else normal.</summary>
    public string Status => InAlarm ? Alarm : IsOffline ? Offline : LowBattery ? LowBatteryStatus : Normal;

    /// <inheritdoc />
    public EntitySummary ToSummary() => ToSummary(BuildProperties());

    /// <summary>The summary with a given (possibly cached) properties dictionary.</summary>
    public EntitySummary ToSummary(IReadOnlyDictionary<string, object> properties)
    {
        SensorDefinition d = Definition ?? throw new InvalidOperationException("The sensor is not initialised.");
        return new EntitySummary(d.Id, EntityType.Sensor, d.Kind.ToString(), null, Status, d.Position, LastHeardAt ?? InitializedAt)
        {
            BuildingId = d.BuildingId,
            GridId = d.GridId,
            CommunityId = d.CommunityId,
            StreetId = d.StreetId,
            CellId = d.CellId,
            Value = LastValue,
            Unit = LastUnit ?? d.Unit,
            Properties = properties,
        };
    }

    /// <summary>
    /// The summary's extra fields: floor and alarm point; battery when known; for water meters "lastUseAt" (ISO 8601) and
    /// "welfare" ("raised"), which the monitor reads to find due welfare checks without calling every meter.
    /// </summary>
    public IReadOnlyDictionary<string, object> BuildProperties()
    {
        SensorDefinition d = Definition ?? throw new InvalidOperationException("The sensor is not initialised.");
        var properties = new SummaryProperties.Builder(5);
        properties.Add("floor", d.Floor);
        if (d.AlarmAbove is { } alarm)
        {
            properties.Add("alarmAbove", alarm);
        }

        if (BatteryPercent is { } battery)
        {
            properties.Add("batteryPercent", battery);
        }

        if (LastUseAt is { } used)
        {
            properties.Add("lastUseAt", used.ToString("O", CultureInfo.InvariantCulture));
        }

        if (WelfareRaised)
        {
            properties.Add("welfare", "raised");
        }

        return properties.Build();
    }
}
