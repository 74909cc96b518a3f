using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A building: its definition (occupants, contacts, sensors) and live alarm and evacuation state. Its sensors raise
/// alerts through it, because it knows whom to tell: its own contacts plus the community's (alarms) or the grid's
/// (welfare, device health) staff. Alarm changes are written to storage at once: they are rare and must survive a crash.
/// </summary>
public sealed class BuildingGrain(
    [PersistentState("entity")] IPersistentState<BuildingState> state, TwinDirectory directory, AlertBus alerts) : Grain, IBuildingGrain
{
    /// <summary>The area that stands for the whole district (counted in every alert).</summary>
    internal const string DistrictAreaId = "district";

    /// <inheritdoc />
    public Task InitializeAsync(BuildingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TwinEntityStates.InitializeOnceAsync(state, directory, s =>
        {
            s.Definition = definition with
            {
                Id = TwinEntityStates.SharedId(definition.Id, GetPrimaryKeyString()),
                CellId = TwinEntityStates.SharedId(directory, definition.CellId)!,
                GridId = TwinEntityStates.SharedId(directory, definition.GridId)!,
                CommunityId = TwinEntityStates.SharedId(directory, definition.CommunityId)!,
                StreetId = TwinEntityStates.SharedId(directory, definition.StreetId)!,
            };
            s.UpdatedAt = TimeProvider.GetUtcNow();
        });
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() => TwinEntityStates.DetailsAsync(state.State);

    /// <inheritdoc />
    public async Task<Alert> RaiseSensorAlertAsync(SensorAlertRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        BuildingDefinition? d = state.State.Definition;
        string? areaId = request.Audience == AlertAudience.Community ? d?.CommunityId : d?.GridId;
        Contact[] staff = areaId is null ? [] : await GrainFactory.GetGrain<IAreaGrain>(areaId).GetStaffAsync();
        Contact[] recipients = [.. d?.Contacts ?? [], .. staff];
        var alert = new Alert(
            Guid.NewGuid().ToString("N"), "alert", request.Kind, request.Severity, request.Message, EntityType.Sensor, request.SensorId,
            request.Position, request.At, d?.Id ?? GetPrimaryKeyString(), d?.GridId, d?.CommunityId, d?.StreetId, recipients, request.Details);

        state.State.AlertsRaised++;
        bool alarmChanged = false;
        if (request.SetsAlarm && d is not null)
        {
            alarmChanged = !state.State.AlarmedSensors.ContainsKey(request.SensorId);
            state.State.AlarmedSensors[request.SensorId] = request.Kind;
            state.State.AlarmSince ??= request.At;
            state.State.UpdatedAt = TimeProvider.GetUtcNow();
            directory.Upsert(state.State.ToSummary());
        }

        await alerts.PublishAsync(alert);
        CountInAreas(request.Kind, d);
        if (alarmChanged)
        {
            await state.WriteStateAsync();
        }

        return alert;
    }

    /// <inheritdoc />
    public async Task ClearSensorAlarmAsync(string sensorId, DateTimeOffset at)
    {
        if (!state.State.AlarmedSensors.Remove(sensorId))
        {
            return;
        }

        if (state.State.AlarmedSensors.Count == 0)
        {
            state.State.AlarmSince = null;
        }

        state.State.UpdatedAt = TimeProvider.GetUtcNow();
        directory.Upsert(state.State.ToSummary());
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task SetEvacuationAsync(string? status)
    {
        if (!state.State.IsInitialized || state.State.Evacuation == status)
        {
            return;
        }

        state.State.Evacuation = status;
        state.State.UpdatedAt = TimeProvider.GetUtcNow();
        directory.Upsert(state.State.ToSummary());
        await state.WriteStateAsync();
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
