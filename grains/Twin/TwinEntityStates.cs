using CityTwin.Grains.Rules;
using CityTwin.Silo;

namespace CityTwin.Grains.Twin;

/// <summary>The initialise-once and details logic shared by the twin grains whose state is only their definition plus live fields.</summary>
internal static class TwinEntityStates
{
    /// <summary>
    /// First call: applies the definition, publishes the summary and writes the state. Later calls (a reload) keep the
    /// live state and only put the summary back in the read model, unpublished.
    /// </summary>
    public static async Task InitializeOnceAsync<TState>(IPersistentState<TState> state, TwinDirectory directory, Action<TState> apply)
        where TState : class, ITwinEntityState, new()
    {
        if (!state.State.IsInitialized)
        {
            apply(state.State);
            directory.Upsert(state.State.ToSummary());
            await state.WriteStateAsync();
            return;
        }

        directory.Upsert(state.State.ToSummary(), publish: false);
    }

    /// <summary>The summary and a copy of the state, or null before initialisation.</summary>
    public static Task<EntityDetails?> DetailsAsync<TState>(TState state) where TState : class, ITwinEntityState =>
        Task.FromResult(state.IsInitialized ? new EntityDetails(state.ToSummary(), StateSnapshot.Copy(state)) : null);
}
