namespace CityTwin.Silo;

/// <summary>The identity of a grain: its grain type name and its key (Guid and integer keys are kept in invariant string form).</summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
