namespace CityTwin.Silo;

/// <summary>Marks a grain interface method that may interleave with any other request (Orleans: [AlwaysInterleave]).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;
