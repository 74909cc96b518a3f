namespace CityTwin.Silo.Storage;

/// <summary>
/// A write or clear carried a version that no longer matches the stored one (another writer got there first).
/// Nothing was changed by the rejected operation.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public InconsistentStateException(GrainStateKey key, long expectedVersion, long? storedVersion)
        : base($"Stale write to grain state '{key}': expected version {expectedVersion}, stored version is {(storedVersion is null ? "unknown" : storedVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Re-read the state and retry.")
    {
        Key = key;
        ExpectedVersion = expectedVersion;
        StoredVersion = storedVersion;
    }

    /// <summary>The state that was written.</summary>
    public GrainStateKey Key { get; }

    /// <summary>The version the writer believed was stored.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version actually stored, when the provider knows it.</summary>
    public long? StoredVersion { get; }
}
