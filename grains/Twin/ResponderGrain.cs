using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Silo;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A grid worker. Its status follows the cases assigned to it, and it updates the read model inside the turn that
/// changed it, so the dispatch planner never sees a responder as free after it accepted an assignment.
/// </summary>
public sealed class ResponderGrain(
    [PersistentState("entity")] IPersistentState<ResponderState> state,
    TwinDirectory directory) : Grain, IResponderGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.IsInitialized && directory.IsInitialized && directory.Get(EntityType.Responder, GetPrimaryKeyString()) is null)
        {
            directory.Upsert(state.State.ToSummary(), publish: false);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task InitializeAsync(ResponderDefinition definition)
    {
        if (!state.State.IsInitialized)
        {
            state.State.Definition = definition;
            state.State.Position = definition.Position;
        }
        else
        {
            // A reload refreshes the static description; position, duty and tasks are live state and stay.
            state.State.Definition = definition;
        }

        await SaveAsync();
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() =>
        Task.FromResult(state.State.IsInitialized ? new EntityDetails(state.State.ToSummary(), Snapshot()) : null);

    /// <inheritdoc />
    public async Task<bool> AssignAsync(string caseId, string category, bool force)
    {
        ResponderState s = state.State;
        if (!s.IsInitialized)
        {
            return false;
        }

        if (s.Tasks.Exists(t => t.CaseId == caseId))
        {
            await UpdateTaskAsync(caseId, "dispatched");
            return true;
        }

        if (!force && (!s.OnDuty || s.Tasks.Count > 0))
        {
            return false;
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        s.Tasks.Add(new ResponderTask(caseId, category, "dispatched", now, now));
        await SaveAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task UpdateTaskAsync(string caseId, string status)
    {
        int i = state.State.Tasks.FindIndex(t => t.CaseId == caseId);
        if (i < 0 || state.State.Tasks[i].Status == status)
        {
            return;
        }

        state.State.Tasks[i] = state.State.Tasks[i] with { Status = status, UpdatedAt = TimeProvider.GetUtcNow() };
        await SaveAsync();
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string caseId)
    {
        if (state.State.Tasks.RemoveAll(t => t.CaseId == caseId) > 0)
        {
            await SaveAsync();
        }
    }

    /// <inheritdoc />
    public Task<ResponderTask[]> GetTasksAsync() => Task.FromResult(state.State.Tasks.ToArray());

    /// <inheritdoc />
    public async Task MoveAsync(GeoPoint position, DateTimeOffset at)
    {
        if (!state.State.IsInitialized)
        {
            return;
        }

        state.State.Position = position;
        await SaveAsync(at);
    }

    /// <inheritdoc />
    public async Task SetOnDutyAsync(bool onDuty)
    {
        if (state.State.IsInitialized && state.State.OnDuty != onDuty)
        {
            state.State.OnDuty = onDuty;
            await SaveAsync();
        }
    }

    private async Task SaveAsync(DateTimeOffset? at = null)
    {
        state.State.UpdatedAt = at ?? TimeProvider.GetUtcNow();
        if (state.State.IsInitialized && directory.IsInitialized)
        {
            directory.Upsert(state.State.ToSummary());
        }

        await state.WriteStateAsync();
    }

    // Callers get a copy: the live state object keeps changing in later turns.
    private ResponderState Snapshot() => new()
    {
        Definition = state.State.Definition,
        Position = state.State.Position,
        OnDuty = state.State.OnDuty,
        Tasks = [.. state.State.Tasks],
        UpdatedAt = state.State.UpdatedAt,
    };
}
