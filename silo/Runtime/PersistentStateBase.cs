namespace CityTwin.Silo.Runtime;

/// <summary>What the activation needs from a grain's persistent states: read before activation, write back if changed.</summary>
internal abstract class PersistentStateBase
{
    public abstract Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state if it differs from what was last read or written; true when a write happened.</summary>
    public abstract Task<bool> WriteIfChangedAsync(CancellationToken cancellationToken = default);
}
