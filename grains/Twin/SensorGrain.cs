using System.Globalization;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A sensor: applies readings (last value, rolling statistics, health) and runs the home rules at once: a gas, smoke or
/// CO reading at its alarm point or a pressed SOS button alerts the building's contacts and community through the
/// building; a low battery is reported; silence and welfare checks are asked for by <see cref="TwinMonitorGrain"/>.
/// State is not written per reading (the event log already holds every reading durably); <see cref="WriteBehindGrain{TState}"/>
/// writes it on deactivation, checkpoint and shutdown. The read model is updated in every turn that changes the sensor.
/// </summary>
[GrainType("sensor")]
public sealed class SensorGrain(
    [PersistentState("entity", SiloStore.StorageName)] IPersistentState<SensorState> entity, TwinDirectory directory, AlertBus alerts,
    TelemetryRuleOptions? options = null) : WriteBehindGrain<SensorState>(entity), ISensorGrain
{
    private readonly TelemetryRuleOptions _options = options ?? TelemetryRuleOptions.Default;

    // The summary's properties change far less often than its value; reusing them saves an allocation per reading.
    private IReadOnlyDictionary<string, object>? _properties;

    private SensorState S => State;

    /// <inheritdoc />
    public async Task InitializeAsync(SensorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!S.IsInitialized)
        {
            S.Initialize(definition, this.GetPrimaryKeyString(), directory, TimeProvider.GetUtcNow());
            _properties = null;
            Publish();
            await WriteStateAsync();
            return;
        }

        directory.Upsert(Summary(), publish: false);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() =>
        Task.FromResult(S.IsInitialized ? EntityDetails.Of(Summary(), S) : null);

    /// <inheritdoc />
    public Task RecordAsync(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (!S.Applied.TryApply(reading.LogSeq, reading.LogLow))
        {
            return Task.CompletedTask;
        }

        Task? pending = Apply(reading);
        Publish();
        return pending ?? Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task RecordBatchAsync(IReadOnlyList<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        foreach (SensorReading reading in readings)
        {
            if (!S.Applied.TryApply(reading.LogSeq, reading.LogLow))
            {
                continue;
            }

            Task? pending = Apply(reading);
            if (pending is not null)
            {
                // Alerts go out in reading order, with the summary current as of the reading that raised them.
                Publish();
                await pending;
            }
        }

        Publish();
    }

    /// <inheritdoc />
    public async Task<bool> CheckSilenceAsync()
    {
        if (!S.IsInitialized || S.IsOffline)
        {
            return false;
        }

        SensorDefinition d = S.Definition!;
        DateTimeOffset now = TimeProvider.GetUtcNow();
        TimeSpan limit = SensorHealthRule.OfflineLimit(d.BuildingId is not null, _options);
        if (!SensorHealthRule.IsSilent(S.LastHeardAt, now, limit))
        {
            return false;
        }

        S.IsOffline = true;
        Publish();
        string silent = FormatSpan(now - S.LastHeardAt!.Value);
        await RaiseAsync(AlertKinds.Offline, AlertSeverity.Info, $"{Describe(d)} has been silent for {silent} (limit {FormatSpan(limit)}); it is offline.",
            now, AlertAudience.Grid, setsAlarm: false, new Dictionary<string, string> { ["lastHeardAt"] = Iso(S.LastHeardAt!.Value) });
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> CheckWelfareAsync()
    {
        if (!S.IsInitialized || S.Definition!.Kind != SensorKind.WaterMeter || S.WelfareRaised || S.Definition.BuildingId is not { } buildingId)
        {
            return false;
        }

        int elderly = directory.Get(EntityType.Building, buildingId)?.Properties?.GetValueOrDefault("elderly") is int e ? e : 0;
        DateTimeOffset now = TimeProvider.GetUtcNow();
        if (!WelfareRule.IsDue(S.LastUseAt, now, _options.WelfareInactivity, elderly))
        {
            return false;
        }

        S.WelfareRaised = true;
        _properties = null;
        Publish();
        await RaiseAsync(AlertKinds.Welfare, AlertSeverity.Warning,
            $"No water drawn in {buildingId} for {FormatSpan(now - S.LastUseAt!.Value)}; {elderly} elderly resident(s) live there. Please check on them.",
            now, AlertAudience.Grid, setsAlarm: false, new Dictionary<string, string> { ["lastUseAt"] = Iso(S.LastUseAt.Value), ["elderly"] = elderly.ToString(CultureInfo.InvariantCulture) });
        return true;
    }

    /// <summary>Applies one reading to the state; returns the alert work it started, if any (null in the common case).</summary>
    private Task? Apply(SensorReading reading)
    {
        SensorDefinition d = S.Definition ?? throw new InvalidOperationException($"Sensor '{this.GetPrimaryKeyString()}' received a reading but was never initialised.");
        DateTimeOffset now = TimeProvider.GetUtcNow();
        S.LastHeardAt = now;
        S.IsOffline = false;
        bool battery = SensorHealthRule.IsBatteryReading(reading.Unit, _options);
        if (!PhysicalRange.Contains(battery ? PhysicalRange.Battery : PhysicalRange.Of(d.Kind), reading.Value))
        {
            // Ingest refuses such values; one that comes another way (an older event log, a scenario file) is not a
            // measurement and must not reach the value, the statistics or the aggregates built on them.
            return null;
        }

        if (battery)
        {
            return ApplyBattery(d, reading.Value, now);
        }

        double value = reading.Value;
        S.LastValue = value;
        S.LastUnit = reading.Unit ?? d.Unit;
        S.LastReadingAt = reading.At;
        S.Statistics.Add(value);

        if (d.Kind == SensorKind.WaterMeter && (WelfareRule.IsUse(value) || S.LastUseAt is null))
        {
            // The welfare clock starts at the first reading and restarts with every reading that shows use.
            S.LastUseAt = now;
            S.WelfareRaised &= !WelfareRule.IsUse(value);
            _properties = null;
        }

        double? alarmPoint = HazardRule.AlarmPoint(d.Kind, d.AlarmAbove);
        if (alarmPoint is null)
        {
            return null;
        }

        bool over = HazardRule.IsAlarm(value, alarmPoint);
        if (over && !S.InAlarm)
        {
            S.InAlarm = true;
            S.AlarmSince = now;
            string what = d.Kind == SensorKind.SosButton
                ? $"SOS button pressed ({Describe(d)})."
                : $"{Describe(d)} reads {Number(value)} {S.LastUnit}, at or above its alarm point of {Number(alarmPoint.Value)}.";
            return RaiseAsync(HazardRule.AlertKind(d.Kind), AlertSeverity.Critical, what, reading.At, AlertAudience.Community, setsAlarm: true,
                new Dictionary<string, string> { ["value"] = Number(value), ["alarmAt"] = Number(alarmPoint.Value), ["unit"] = S.LastUnit ?? "" });
        }

        if (!over && S.InAlarm)
        {
            S.InAlarm = false;
            S.AlarmSince = null;
            return ClearAsync(d, value, reading.At);
        }

        return null;
    }

    private Task? ApplyBattery(SensorDefinition d, double percent, DateTimeOffset now)
    {
        S.BatteryPercent = percent;
        _properties = null;
        bool low = SensorHealthRule.IsLowBattery(percent, _options);
        if (low == S.LowBattery)
        {
            return null;
        }

        S.LowBattery = low;
        return low
            ? RaiseAsync(AlertKinds.LowBattery, AlertSeverity.Warning,
                $"{Describe(d)} battery at {Number(percent)} % (below {Number(_options.LowBatteryPercent)} %); replace it.",
                now, AlertAudience.Grid, setsAlarm: false, new Dictionary<string, string> { ["batteryPercent"] = Number(percent) })
            : null;
    }

    private async Task ClearAsync(SensorDefinition d, double value, DateTimeOffset at)
    {
        if (d.BuildingId is { } building)
        {
            await GrainFactory.GetGrain<IBuildingGrain>(building).ClearSensorAlarmAsync(d.Id, at);
        }

        // A released SOS button is not an all-clear (help is still needed until the case is closed); detectors are.
        if (d.Kind != SensorKind.SosButton)
        {
            await RaiseAsync(AlertKinds.AlarmCleared, AlertSeverity.Info,
                $"{Describe(d)} is back below its alarm point ({Number(value)} {S.LastUnit}).", at, AlertAudience.Community, setsAlarm: false,
                new Dictionary<string, string> { ["value"] = Number(value), ["cleared"] = HazardRule.AlertKind(d.Kind) });
        }
    }

    /// <summary>Raises an alert through the sensor's building, or directly with the grid's staff for street sensors.</summary>
    private async Task RaiseAsync(string kind, AlertSeverity severity, string message, DateTimeOffset at, AlertAudience audience, bool setsAlarm,
        IReadOnlyDictionary<string, string>? details)
    {
        SensorDefinition d = S.Definition!;
        if (d.BuildingId is { } building)
        {
            await GrainFactory.GetGrain<IBuildingGrain>(building).RaiseSensorAlertAsync(
                new SensorAlertRequest(d.Id, d.Kind, kind, severity, message, d.Position, at, audience, setsAlarm, details));
            return;
        }

        string? areaId = audience == AlertAudience.Community ? d.CommunityId ?? d.GridId : d.GridId ?? d.CommunityId;
        Contact[] staff = areaId is null ? [] : await GrainFactory.GetGrain<IAreaGrain>(areaId).GetStaffAsync();
        await alerts.PublishAsync(new Alert(
            Guid.NewGuid().ToString("N"), "alert", kind, severity, message, EntityType.Sensor, d.Id, d.Position, at,
            null, d.GridId, d.CommunityId, d.StreetId, staff, details));
        foreach (string? area in new[] { d.GridId, d.CommunityId, d.StreetId, BuildingGrain.DistrictAreaId })
        {
            if (area is not null)
            {
                _ = GrainFactory.GetGrain<IAreaGrain>(area).RecordAlertAsync(kind);
            }
        }
    }

    private EntitySummary Summary() => S.ToSummary(_properties ??= S.BuildProperties());

    private void Publish() => directory.Upsert(Summary());

    private static string Describe(SensorDefinition d) =>
        d.BuildingId is null ? $"{d.Kind} sensor {d.Id}" : $"{d.Kind} sensor {d.Id} in {d.BuildingId} (floor {d.Floor})";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static string FormatSpan(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h" : $"{span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min";
}
