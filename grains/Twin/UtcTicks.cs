namespace CityTwin.Grains.Twin;

/// <summary>
/// A nullable point in time as one long: UTC ticks plus one, 0 for none. State held by every entity keeps its
/// silo-clock times this way (8 B instead of 24 B for a DateTimeOffset?); the offset is normalised to UTC.
/// </summary>
internal static class UtcTicks
{
    /// <summary>The packed form of <paramref name="time"/>.</summary>
    public static long From(DateTimeOffset? time) => time is { } t ? t.UtcTicks + 1 : 0;

    /// <summary>The time a packed value holds (offset zero), or null.</summary>
    public static DateTimeOffset? ToTime(long packed) => packed == 0 ? null : new DateTimeOffset(packed - 1, TimeSpan.Zero);
}
