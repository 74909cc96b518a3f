namespace CityTwin.Silo.Storage;

/// <summary>Identifies one named state of one grain in a storage provider (Orleans: grain type, grain id, state name).</summary>
public readonly record struct GrainStateKey(string GrainType, string GrainId, string StateName)
{
    /// <inheritdoc />
    public override string ToString() => $"{GrainType}/{GrainId}/{StateName}";
}
