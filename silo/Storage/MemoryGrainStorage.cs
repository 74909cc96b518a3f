using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Grain storage in process memory for <c>--store memory</c>, tests and forks. States are kept serialized (state JSON,
/// <see cref="TwinStateSerializer"/>) with Orleans' ETag rules: the version is the ETag, a stale ETag raises Orleans'
/// <see cref="InconsistentStateException"/> and changes nothing, a clear keeps the version. Unlike Orleans' own memory
/// provider (Orleans.Persistence.Memory) it can list what it holds (<see cref="IStoredStateReader"/>) and be seeded
/// (<see cref="Seed"/>), which is how a fork starts from the live twin's stored states. Every instance is independent.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage, IStoredStateReader
{
    // Grain type -> (key, state name) -> entry. Entries are immutable and replaced by compare-and-swap, so writers need
    // no lock and a listing walks the live dictionary (weakly consistent) instead of copying a million entries.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Key, string StateName), Entry>> _states = new(StringComparer.Ordinal);
    private readonly IGrainStorageSerializer _serializer;
    private IActivatorProvider? _activators;

    /// <summary>Creates an empty store writing <paramref name="serializer"/>'s format (state JSON by default).</summary>
    public MemoryGrainStorage(IGrainStorageSerializer? serializer = null)
    {
        _serializer = serializer ?? new TwinStateSerializer();
    }

    /// <summary>States held, cleared ones included.</summary>
    public long Count => _states.Values.Sum(static type => (long)type.Count);

    /// <summary>
    /// Stores <paramref name="state"/>'s payload as is (a copy of it), replacing what is held under its grain type, key
    /// and state name; the version goes up by one as for a write, so a grain holding an older ETag is refused.
    /// </summary>
    public void Seed(StoredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        OrleansStorageKeys.ValidateGrainType(state.GrainType);
        ConcurrentDictionary<(string, string), Entry> type = TypeStates(state.GrainType);
        (string, string) key = (state.Key, state.StateName);
        byte[] payload = state.Payload.ToArray();
        type.AddOrUpdate(key, static (_, p) => new Entry(p, 1), static (_, current, p) => new Entry(p, current.Version + 1), payload);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        Entry? entry = Find(grainId, stateName);
        if (entry?.Payload is { } payload)
        {
            grainState.State = _serializer.Deserialize<T>(new BinaryData(payload)) ?? CreateState<T>();
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = CreateState<T>();
            grainState.RecordExists = false;
        }

        grainState.ETag = entry is null ? null : ETagOf(entry.Version);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);

        // Serialized before the compare-and-swap: a state that cannot be serialized changes nothing.
        byte[] payload = _serializer.Serialize(grainState.State).ToArray();
        int version = Swap(grainId, stateName, grainState.ETag, payload, "WriteState");
        grainState.ETag = ETagOf(version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (grainState.ETag is null && Find(grainId, stateName) is null)
        {
            // Nothing stored and nothing read: as Orleans' ADO.NET provider, clearing is a no-op.
            grainState.State = CreateState<T>();
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }

        // As Orleans' ADO.NET provider (DeleteStateOnClear = false): the entry stays without payload and its version
        // goes up, so a writer still holding the old ETag is refused afterwards.
        int version = Swap(grainId, stateName, grainState.ETag, payload: null, "ClearState");
        grainState.ETag = ETagOf(version);
        grainState.RecordExists = false;
        grainState.State = CreateState<T>();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredState> ReadAllAsync(string grainType, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OrleansStorageKeys.ValidateGrainType(grainType);
        await Task.CompletedTask.ConfigureAwait(false);
        if (!_states.TryGetValue(grainType, out ConcurrentDictionary<(string Key, string StateName), Entry>? type))
        {
            yield break;
        }

        foreach (KeyValuePair<(string Key, string StateName), Entry> pair in type)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pair.Value.Payload is { } payload)
            {
                yield return new StoredState(grainType, pair.Key.Key, pair.Key.StateName, payload);
            }
        }
    }

    /// <summary>Lets the states of grains in a silo be created by that silo's activators (set when registered with it).</summary>
    internal void UseActivators(IActivatorProvider activators) => _activators = activators;

    private static string ETagOf(int version) => version.ToString(CultureInfo.InvariantCulture);

    private ConcurrentDictionary<(string Key, string StateName), Entry> TypeStates(string grainType) =>
        _states.GetOrAdd(grainType, static _ => new ConcurrentDictionary<(string Key, string StateName), Entry>());

    private Entry? Find(GrainId grainId, string stateName) =>
        _states.TryGetValue(grainId.Type.ToString()!, out ConcurrentDictionary<(string Key, string StateName), Entry>? type)
            && type.TryGetValue((grainId.Key.ToString()!, stateName), out Entry? entry)
            ? entry
            : null;

    // Replaces the entry when the caller's ETag names its version (null: no entry); returns the new version.
    private int Swap(GrainId grainId, string stateName, string? etag, byte[]? payload, string operation)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ConcurrentDictionary<(string Key, string StateName), Entry> type = TypeStates(grainId.Type.ToString()!);
        (string, string) key = (grainId.Key.ToString()!, stateName);
        while (true)
        {
            if (!type.TryGetValue(key, out Entry? current))
            {
                // Only a first write (no ETag) may create an entry; entries are never removed, so a clear always finds one.
                if (etag is not null || payload is null)
                {
                    throw Conflict(operation, grainId, stateName, storedEtag: null, etag);
                }

                if (type.TryAdd(key, new Entry(payload, 1)))
                {
                    return 1;
                }

                continue;
            }

            string stored = ETagOf(current.Version);
            if (!string.Equals(stored, etag, StringComparison.Ordinal))
            {
                throw Conflict(operation, grainId, stateName, stored, etag);
            }

            var next = new Entry(payload, current.Version + 1);
            if (type.TryUpdate(key, next, current))
            {
                return next.Version;
            }
        }
    }

    private static InconsistentStateException Conflict(string operation, GrainId grainId, string stateName, string? storedEtag, string? etag) =>
        new($"Version conflict ({operation}): ProviderName=memory GrainId={grainId} StateName={stateName} ETag={etag ?? "(none)"} stored ETag={storedEtag ?? "(none)"}.", storedEtag, etag, null);

    private T CreateState<T>() => _activators is { } activators ? activators.GetActivator<T>().Create() : Activator.CreateInstance<T>();

    // Reference equality (a class, not a record) is what TryUpdate compares, so a swap fails if anyone got there first.
    private sealed class Entry(byte[]? payload, int version)
    {
        public byte[]? Payload { get; } = payload;

        public int Version { get; } = version;
    }
}
