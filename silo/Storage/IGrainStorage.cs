namespace CityTwin.Silo.Storage;

/// <summary>
/// A grain-state storage provider (Orleans' IGrainStorage, reduced to bytes). Writes from many grains are
/// batched into one round trip by the provider; each caller's task completes when its write is committed.
/// </summary>
public interface IGrainStorage : IAsyncDisposable
{
    /// <summary>Provider name: "memory", "sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>Creates the schema if it is missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a state, or null when no record exists.</summary>
    Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="payload"/> if the stored version equals <paramref name="expectedVersion"/>
    /// (0 = no record may exist) and returns the new version. A mismatch throws
    /// <see cref="InconsistentStateException"/> and changes nothing.
    /// </summary>
    Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record if its version equals <paramref name="expectedVersion"/>; otherwise throws <see cref="InconsistentStateException"/>.</summary>
    Task ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Reads every stored state of one grain type (used to snapshot and fork the twin).</summary>
    IAsyncEnumerable<KeyValuePair<GrainStateKey, StoredGrainState>> ReadAllAsync(string grainType, CancellationToken cancellationToken = default);

    /// <summary>Counters for the silo's statistics.</summary>
    StorageStatistics Statistics { get; }
}
