namespace CityTwin.Silo;

/// <summary>
/// A grain's persistent state with optimistic concurrency (Orleans: IPersistentState&lt;T&gt;). A write with a stale
/// version throws <see cref="Storage.InconsistentStateException"/> and changes nothing. State that differs from what
/// was last stored is also written when the grain deactivates and when the silo shuts down gracefully.
/// </summary>
public interface IPersistentState<TState> where TState : new()
{
    /// <summary>The live state object.</summary>
    TState State { get; set; }

    /// <summary>The stored version as a string, or null when no record exists (Orleans' ETag).</summary>
    string? Etag { get; }

    /// <summary>The stored version; 0 when no record exists.</summary>
    long Version { get; }

    /// <summary>Whether a stored record exists.</summary>
    bool RecordExists { get; }

    /// <summary>Re-reads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state; batched with other grains' writes into one round trip.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record and resets <see cref="State"/> to a new instance.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
