namespace CityTwin.Silo.Storage;

/// <summary>What a read found in a grain state's row: the payload (null once cleared) and the version (Orleans' ETag).</summary>
/// <param name="Payload">The serialized state, or null when the state was cleared.</param>
/// <param name="Version">The row's version; null only in rows another writer left without one.</param>
internal sealed record StoredStateRow(byte[]? Payload, int? Version);
