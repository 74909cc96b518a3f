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
    public Task InitializeAsync(AreaDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TwinEntityStates.InitializeOnceAsync(state, directory, s =>
        {
            DateTimeOffset now = TimeProvider.GetUtcNow();
            s.Definition = definition;
            s.InitializedAt = now;
            s.UpdatedAt = now;
        });
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() => TwinEntityStates.DetailsAsync(state.State);

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
