using System.Globalization;
using System.Text.Json;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.Runtime;

/// <summary>
/// A grain state stored as JSON in the silo's storage provider. A fingerprint of the stored bytes tells whether
/// the live state changed, so deactivation and shutdown write exactly the states that differ from storage.
/// One exists per stateful activation, so it keeps only what differs per grain: storage, serializer options and the
/// storage key are derived from the activation when needed.
/// </summary>
internal sealed class PersistentState<T>(ActivationData activation, string stateName)
    : PersistentStateBase, IPersistentState<T> where T : new()
{
    private ulong _storedFingerprint;

    public T State { get; set; } = new();

    public long Version { get; private set; }

    public string? Etag => Version == 0 ? null : Version.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists => Version != 0;

    public override async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        StoredGrainState? stored = await Storage.ReadAsync(Key, cancellationToken);
        if (stored is null)
        {
            State = new T();
            Version = 0;
            _storedFingerprint = Fingerprint(Serialize());
        }
        else
        {
            State = JsonSerializer.Deserialize<T>(stored.Payload, activation.Silo.StateSerializerOptions) ?? new T();
            Version = stored.Version;
            _storedFingerprint = Fingerprint(stored.Payload);
        }
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        byte[] payload = Serialize();
        await WriteAsync(payload, cancellationToken);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        if (Version != 0)
        {
            await Storage.ClearAsync(Key, Version, cancellationToken);
        }

        State = new T();
        Version = 0;
        _storedFingerprint = Fingerprint(Serialize());
    }

    public override async Task<bool> WriteIfChangedAsync(CancellationToken cancellationToken = default)
    {
        byte[] payload = Serialize();
        if (Fingerprint(payload) == _storedFingerprint)
        {
            return false;
        }

        await WriteAsync(payload, cancellationToken);
        return true;
    }

    Task IPersistentState<T>.ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    private GrainStateKey Key => new(activation.Class.TypeName, activation.GrainId.Key, stateName);

    private IGrainStorage Storage => activation.Silo.Storage;

    private async Task WriteAsync(byte[] payload, CancellationToken cancellationToken)
    {
        Version = await Storage.WriteAsync(Key, payload, Version, cancellationToken);
        _storedFingerprint = Fingerprint(payload);
    }

    private byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(State, activation.Silo.StateSerializerOptions);

    // FNV-1a, 64 bit: a change detector, not a security hash.
    private static ulong Fingerprint(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
