using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo;

namespace CityTwin.Grains.Twin;

/// <summary>
/// An area of the governance hierarchy: keeps its polygon and staff (who alerts in it name) and counts the alerts raised
/// in it by kind. Counters are written with the rest of the state on deactivation: they are statistics, and the alerts
/// themselves went out at once.
/// </summary>
public sealed class AreaGrain([PersistentState("entity")] IPersistentState<AreaState> state, TwinDirectory directory) : Grain, IAreaGrain
{
    /// <inheritdoc />
    public async Task InitializeAsync(AreaDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!state.State.IsInitialized)
        {
            DateTimeOffset now = TimeProvider.GetUtcNow();
            state.State.Definition = definition;
            state.State.InitializedAt = now;
            state.State.UpdatedAt = now;
            directory.Upsert(state.State.ToSummary());
            await state.WriteStateAsync();
            return;
        }

        directory.Upsert(state.State.ToSummary(), publish: false);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() =>
        Task.FromResult(state.State.IsInitialized ? new EntityDetails(state.State.ToSummary(), StateSnapshot.Copy(state.State)) : null);

    /// <inheritdoc />
    public Task<Contact[]> GetStaffAsync() => Task.FromResult(state.State.Definition?.Staff ?? []);

    /// <inheritdoc />
    public Task RecordAlertAsync(string kind)
    {
        if (state.State.IsInitialized)
        {
            Dictionary<string, long> counts = state.State.AlertCounts;
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            state.State.UpdatedAt = TimeProvider.GetUtcNow();
            directory.Upsert(state.State.ToSummary());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> GetAlertCountsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(state.State.AlertCounts, StringComparer.Ordinal));
}
