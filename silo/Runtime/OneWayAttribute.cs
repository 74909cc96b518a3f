namespace CityTwin.Silo;

/// <summary>Marks a grain interface method as fire-and-forget: the caller's task completes once the message is queued.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;
