namespace CityTwin.Grains.Rules;

/// <summary>
/// The welfare check of smart water meters: in a home with an elderly resident, no water drawn (only zero readings, or
/// no readings at all) for the inactivity time means someone should look in. The clock starts at the meter's last
/// reading with use, or at its first reading when it never showed use.
/// </summary>
public static class WelfareRule
{
    /// <summary>True when a welfare check is due.</summary>
    public static bool IsDue(DateTimeOffset? lastUseAt, DateTimeOffset now, TimeSpan inactivity, int elderly) =>
        elderly > 0 && lastUseAt is { } used && now - used >= inactivity;

    /// <summary>True when a water meter reading shows water being drawn.</summary>
    public static bool IsUse(double value) => value > 0;
}
