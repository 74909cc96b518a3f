using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A building: its definition (occupants, contacts, sensors) and live alarm and evacuation state. Its sensors raise
/// alerts through it, because it knows whom to tell: its own contacts plus the community's (alarms) or the grid's
/// (welfare, device health) staff. Alarm changes are written to storage at once: they are rare and must survive a crash.
/// </summary>
[GrainType("building")]
public sealed class BuildingGrain(
    [PersistentState("entity", SiloStore.StorageName)] IPersistentState<BuildingState> entity, TwinDirectory directory, AlertBus alerts)
    : WriteBehindGrain<BuildingState>(entity), IBuildingGrain
{
    /// <summary>The area that stands for the whole district (counted in every alert).</summary>
    internal const string DistrictAreaId = "district";

    /// <inheritdoc />
    public Task InitializeAsync(BuildingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TwinEntityStates.InitializeOnceAsync(State, directory,
            s => s.Initialize(definition, this.GetPrimaryKeyString(), directory, TimeProvider.GetUtcNow()), WriteStateAsync);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() => TwinEntityStates.DetailsAsync(State);

    /// <inheritdoc />
    public async Task<Alert> RaiseSensorAlertAsync(SensorAlertRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        BuildingDefinition? d = State.Definition;
        string? areaId = request.Audience == AlertAudience.Community ? d?.CommunityId : d?.GridId;
        Contact[] staff = areaId is null ? [] : await GrainFactory.GetGrain<IAreaGrain>(areaId).GetStaffAsync();
        Contact[] recipients = [.. d?.Contacts ?? [], .. staff];
        var alert = new Alert(
            Guid.NewGuid().ToString("N"), "alert", request.Kind, request.Severity, request.Message, EntityType.Sensor, request.SensorId,
            request.Position, request.At, d?.Id ?? this.GetPrimaryKeyString(), d?.GridId, d?.CommunityId, d?.StreetId, recipients, request.Details);

        State.AlertsRaised++;
        bool alarmChanged = false;
        if (request.SetsAlarm && d is not null)
        {
            alarmChanged = !State.AlarmedSensors.ContainsKey(request.SensorId);
            State.AlarmedSensors[request.SensorId] = request.Kind;
            State.AlarmSince ??= request.At;
            State.UpdatedAt = TimeProvider.GetUtcNow();
            directory.Upsert(State.ToSummary());
        }

        await alerts.PublishAsync(alert);
        CountInAreas(request.Kind, d);
        if (alarmChanged)
        {
            await WriteStateAsync();
        }

        return alert;
    }

    /// <inheritdoc />
    public async Task ClearSensorAlarmAsync(string sensorId, DateTimeOffset at)
    {
        if (!State.AlarmedSensors.Remove(sensorId))
        {
            return;
        }

        if (State.AlarmedSensors.Count == 0)
        {
            State.AlarmSince = null;
        }

        State.UpdatedAt = TimeProvider.GetUtcNow();
        directory.Upsert(State.ToSummary());
        await WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task SetEvacuationAsync(string? status)
    {
        if (!State.IsInitialized || State.Evacuation == status)
        {
            return;
        }

        State.Evacuation = status;
        State.UpdatedAt = TimeProvider.GetUtcNow();
        directory.Upsert(State.ToSummary());
        await WriteStateAsync();
    }

    private void CountInAreas(string kind, BuildingDefinition? d)
    {
        if (d is null)
        {
            return;
        }

        // One-way: the counters are statistics and must not hold up the alert.
        foreach (string area in new[] { d.GridId, d.CommunityId, d.StreetId, DistrictAreaId })
        {
            _ = GrainFactory.GetGrain<IAreaGrain>(area).RecordAlertAsync(kind);
        }
    }
}
