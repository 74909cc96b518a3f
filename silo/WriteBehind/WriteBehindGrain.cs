using System.Text.Json;
using CityTwin.Silo.Storage;
using Orleans;

namespace CityTwin.Silo.WriteBehind;

/// <summary>
/// Base of grains whose state is written behind: inputs are durable in the event log before they are acknowledged, so a
/// grain need not write per input. The state is written when it changed and the grain deactivates (idle collection,
/// graceful shutdown) or a checkpoint asks, and whenever the grain calls <see cref="WriteStateAsync"/>. A fingerprint
/// of the stored JSON tells "changed" from "as stored".
/// </summary>
/// <typeparam name="TState">The grain's persistent state.</typeparam>
public abstract class WriteBehindGrain<TState> : Grain, ICheckpointGrain where TState : new()
{
    private static readonly JsonSerializerOptions Json = StateJson.CreateOptions();
    private readonly IPersistentState<TState> _state;
    private ulong _storedFingerprint;
    private TimeProvider? _timeProvider;

    /// <summary>Wraps the grain's Orleans persistent state.</summary>
    protected WriteBehindGrain(IPersistentState<TState> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
    }

    /// <summary>The live state.</summary>
    protected TState State => _state.State;

    /// <summary>Orleans' persistent state (record existence, ETag).</summary>
    protected IPersistentState<TState> PersistentState => _state;

    /// <summary>The grain's clock: Orleans' grain time provider, virtual in forks and drills.</summary>
    protected TimeProvider TimeProvider => _timeProvider ??= this.GetGrainTimeProvider();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storedFingerprint = Fingerprint();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await WriteIfChangedAsync();

    /// <inheritdoc />
    public Task<bool> CheckpointAsync() => WriteIfChangedAsync();

    /// <summary>Writes the state now.</summary>
    protected async Task WriteStateAsync()
    {
        await _state.WriteStateAsync();
        _storedFingerprint = Fingerprint();
    }

    /// <summary>Writes the state if it differs from what was last stored; true when it wrote.</summary>
    protected async Task<bool> WriteIfChangedAsync()
    {
        ulong now = Fingerprint();
        if (now == _storedFingerprint)
        {
            return false;
        }

        await _state.WriteStateAsync();
        _storedFingerprint = now;
        return true;
    }

    // FNV-1a, 64 bit, over the state's stored JSON: a change detector, not a security hash.
    private ulong Fingerprint()
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(_state.State, Json);
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
