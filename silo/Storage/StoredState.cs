namespace CityTwin.Silo.Storage;

/// <summary>One stored grain state as it lies in storage, read without activating the grain.</summary>
/// <param name="GrainType">The Orleans grain type name ("sensor" for a class with [GrainType("sensor")]).</param>
/// <param name="Key">The grain's string key.</param>
/// <param name="StateName">The name given to [PersistentState(name, storage)].</param>
/// <param name="Payload">The serialized state (CityTwin's state JSON, see <see cref="TwinStateSerializer"/>).</param>
public sealed record StoredState(string GrainType, string Key, string StateName, ReadOnlyMemory<byte> Payload);
