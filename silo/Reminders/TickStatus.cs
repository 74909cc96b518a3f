namespace CityTwin.Silo;

/// <summary>Describes a reminder tick (Orleans: TickStatus).</summary>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
