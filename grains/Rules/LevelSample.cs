namespace CityTwin.Grains.Rules;

/// <summary>A water level (metres) at a time, as kept by <see cref="RateOfRise"/>.</summary>
public sealed record LevelSample(DateTimeOffset At, double LevelM);
