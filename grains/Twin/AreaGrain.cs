using CityTwin.Grains.Model;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// An area of the governance hierarchy: keeps its polygon and staff (who alerts in it name) and counts the alerts raised
/// in it by kind. Counters are written with the rest of the state on deactivation: they are statistics, and the alerts
/// themselves went out at once.
/// </summary>
[GrainType("area")]
public sealed class AreaGrain([PersistentState("entity", SiloStore.StorageName)] IPersistentState<AreaState> entity, TwinDirectory directory)
    : WriteBehindGrain<AreaState>(entity), IAreaGrain
{
    /// <inheritdoc />
    public Task InitializeAsync(AreaDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return TwinEntityStates.InitializeOnceAsync(State, directory, s => s.Initialize(definition, TimeProvider.GetUtcNow()), WriteStateAsync);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync() => TwinEntityStates.DetailsAsync(State);

    /// <inheritdoc />
    public Task<Contact[]> GetStaffAsync() => Task.FromResult(State.Definition?.Staff ?? []);

    /// <inheritdoc />
    public Task RecordAlertAsync(string kind)
    {
        if (State.IsInitialized)
        {
            Dictionary<string, long> counts = State.AlertCounts;
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            State.UpdatedAt = TimeProvider.GetUtcNow();
            directory.Upsert(State.ToSummary());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> GetAlertCountsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(State.AlertCounts, StringComparer.Ordinal));
}
