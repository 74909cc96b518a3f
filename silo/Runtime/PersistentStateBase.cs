namespace CityTwin.Silo.Runtime;

/// <summary>What the activation needs from a grain's persistent states: read before activation, write back if changed.</summary>
internal abstract class PersistentStateBase
{
    /// <summary>The activation's next persistent state: an activation links its states instead of keeping a list.</summary>
    public PersistentStateBase? Next { get; set; }

    public abstract Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state if it differs from what was last read or written; true when a write happened.</summary>
    public abstract Task<bool> WriteIfChangedAsync(CancellationToken cancellationToken = default);
}
