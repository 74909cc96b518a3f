namespace CityTwin.Silo;

/// <summary>Sets a grain class's type name, used in identities and storage (default: the class name without "Grain", lower-cased).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
