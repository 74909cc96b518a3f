using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Grain storage held in process memory (tests, forks and sandboxes). Same version semantics as the
/// database providers; every instance is independent.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    // One lock keeps the compare-and-set of version and payload atomic; memory writes are too cheap to batch.
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainStateKey, StoredGrainState> _states = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store stamping modification times from <paramref name="timeProvider"/> (system time by default).</summary>
    public MemoryGrainStorage(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name => "memory";

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        Statistics.RecordRead();
        lock (_lock)
        {
            return Task.FromResult(_states.TryGetValue(key, out StoredGrainState? state) ? Copy(state) : null);
        }
    }

    /// <inheritdoc />
    public Task<long> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long started = Stopwatch.GetTimestamp();
        long newVersion;
        lock (_lock)
        {
            long stored = _states.TryGetValue(key, out StoredGrainState? current) ? current.Version : 0;
            if (stored != expectedVersion)
            {
                Statistics.RecordFailure();
                return Task.FromException<long>(new InconsistentStateException(key, expectedVersion, stored));
            }

            newVersion = stored + 1;

            // Copy: the caller may reuse its buffer once the write has completed.
            _states[key] = new StoredGrainState(payload.ToArray(), newVersion, _timeProvider.GetUtcNow());
        }

        Statistics.RecordBatch(1, Stopwatch.GetElapsedTime(started));
        return Task.FromResult(newVersion);
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainStateKey key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long started = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            long stored = _states.TryGetValue(key, out StoredGrainState? current) ? current.Version : 0;
            if (stored != expectedVersion)
            {
                Statistics.RecordFailure();
                return Task.FromException(new InconsistentStateException(key, expectedVersion, stored));
            }

            _states.Remove(key);
        }

        Statistics.RecordBatch(1, Stopwatch.GetElapsedTime(started));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<GrainStateKey, StoredGrainState>> ReadAllAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<KeyValuePair<GrainStateKey, StoredGrainState>> snapshot;
        lock (_lock)
        {
            snapshot = _states
                .Where(pair => pair.Key.GrainType == grainType)
                .Select(pair => KeyValuePair.Create(pair.Key, Copy(pair.Value)))
                .ToList();
        }

        foreach (KeyValuePair<GrainStateKey, StoredGrainState> pair in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Statistics.RecordRead();
            yield return pair;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // Readers get their own array so mutating it cannot change what is stored.
    private static StoredGrainState Copy(StoredGrainState state) => state with { Payload = (byte[])state.Payload.Clone() };
}
