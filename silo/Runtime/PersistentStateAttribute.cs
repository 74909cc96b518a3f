namespace CityTwin.Silo;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{T}"/>: the runtime supplies it and reads
/// it before OnActivateAsync (Orleans: [PersistentState(stateName, storageName)]).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    /// <summary>The state's name within the grain.</summary>
    public string StateName { get; } = stateName;

    /// <summary>The storage provider name; the silo has one store, so this is informational.</summary>
    public string? StorageName { get; } = storageName;
}
