using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A grid worker. Its status follows the cases assigned to it, and it updates the read model inside the turn that
/// changed it, so the dispatch planner never sees a responder as free after it accepted an assignment.
/// </summary>
[GrainType("responder")]
public sealed class ResponderGrain(
    [PersistentState("entity", SiloStore.StorageName)] IPersistentState<ResponderState> entity,
    TwinDirectory directory) : WriteBehindGrain<ResponderState>(entity), IResponderGrain
{
    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (State.IsInitialized && directory.IsInitialized && directory.Get(EntityType.Responder, this.GetPrimaryKeyString()) is null)
        {
            directory.Upsert(State.ToSummary(), publish: false);
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync(ResponderDefinition definition)
    {
        if (!State.IsInitialized)
        {
            State.Initialize(definition, TimeProvider.GetUtcNow());
        }
        else
        {
            // A reload refreshes the static description; position, duty and tasks are live state and stay.
            State.Definition = definition;
        }

        await SaveAsync();
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() =>
        Task.FromResult(State.IsInitialized ? EntityDetails.Of(State.ToSummary(), State) : null);

    /// <inheritdoc />
    public async Task<bool> AssignAsync(string caseId, string category, bool force)
    {
        ResponderState s = State;
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
        int i = State.Tasks.FindIndex(t => t.CaseId == caseId);
        if (i < 0 || State.Tasks[i].Status == status)
        {
            return;
        }

        State.Tasks[i] = State.Tasks[i] with { Status = status, UpdatedAt = TimeProvider.GetUtcNow() };
        await SaveAsync();
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string caseId)
    {
        if (State.Tasks.RemoveAll(t => t.CaseId == caseId) > 0)
        {
            await SaveAsync();
        }
    }

    /// <inheritdoc />
    public Task<ResponderTask[]> GetTasksAsync() => Task.FromResult(State.Tasks.ToArray());

    /// <inheritdoc />
    public async Task MoveAsync(GeoPoint position, DateTimeOffset at)
    {
        if (!State.IsInitialized)
        {
            return;
        }

        State.Position = position;
        await SaveAsync(at);
    }

    /// <inheritdoc />
    public async Task SetOnDutyAsync(bool onDuty)
    {
        if (State.IsInitialized && State.OnDuty != onDuty)
        {
            State.OnDuty = onDuty;
            await SaveAsync();
        }
    }

    private async Task SaveAsync(DateTimeOffset? at = null)
    {
        State.UpdatedAt = at ?? TimeProvider.GetUtcNow();
        if (State.IsInitialized && directory.IsInitialized)
        {
            directory.Upsert(State.ToSummary());
        }

        await WriteStateAsync();
    }
}
