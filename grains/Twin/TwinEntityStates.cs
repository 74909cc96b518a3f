namespace CityTwin.Grains.Twin;

/// <summary>The initialise-once and details logic shared by the twin grains whose state is only their definition plus live fields.</summary>
internal static class TwinEntityStates
{
    /// <summary>
    /// First call: applies the definition, publishes the summary and writes the state (through <paramref name="write"/>).
    /// Later calls (a reload) keep the live state and only put the summary back in the read model, unpublished.
    /// </summary>
    public static async Task InitializeOnceAsync<TState>(TState state, TwinDirectory directory, Action<TState> apply, Func<Task> write)
        where TState : class, ITwinEntityState
    {
        if (!state.IsInitialized)
        {
            apply(state);
            directory.Upsert(state.ToSummary());
            await write();
            return;
        }

        directory.Upsert(state.ToSummary(), publish: false);
    }

    /// <summary>
    /// The string the twin already holds for an id: the grain's own key for its id, the read model's for an entity it
    /// knows (building, cell, area). A loaded or restored definition brings its own copy of every id; sharing them
    /// saves about 100 B per sensor (one id string per reference instead of one per referrer).
    /// </summary>
    public static string? SharedId(TwinDirectory directory, string? id) => id is null ? null : directory.Get(id)?.Id ?? id;

    /// <summary><paramref name="key"/> when it spells <paramref name="id"/>, else <paramref name="id"/>.</summary>
    public static string SharedId(string id, string key) => string.Equals(id, key, StringComparison.Ordinal) ? key : id;

    /// <summary>The summary and the state's JSON, or null before initialisation.</summary>
    public static Task<EntityDetails?> DetailsAsync<TState>(TState state) where TState : class, ITwinEntityState =>
        Task.FromResult(state.IsInitialized ? EntityDetails.Of(state.ToSummary(), state) : null);
}
