namespace CityTwin.Silo.Reminders;

/// <summary>A durable reminder: fires first at <see cref="StartAt"/>, then every <see cref="Period"/>, until unregistered.</summary>
public sealed record ReminderEntry(string GrainType, string GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period);
