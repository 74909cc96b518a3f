namespace CityTwin.Silo;

/// <summary>Marks a grain class whose requests may interleave at await points (Orleans: [Reentrant]).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReentrantAttribute : Attribute;
