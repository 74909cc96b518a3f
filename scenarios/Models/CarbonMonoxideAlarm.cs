namespace CityTwin.Scenarios.Models;

/// <summary>
/// Carbon monoxide alarm response times of EN 50291-1 (domestic CO alarms): 30 ppm no alarm within 120 min,
/// 50 ppm alarm in 60-90 min, 100 ppm in 10-40 min, 300 ppm within 3 min.
/// </summary>
public static class CarbonMonoxideAlarm
{
    /// <summary>The highest EN 50291 test level a concentration (ppm) has reached.</summary>
    public static CarbonMonoxideAlarmLevel Classify(double ppm)
    {
        return ppm switch
        {
            >= 300 => CarbonMonoxideAlarmLevel.Ppm300,
            >= 100 => CarbonMonoxideAlarmLevel.Ppm100,
            >= 50 => CarbonMonoxideAlarmLevel.Ppm50,
            >= 30 => CarbonMonoxideAlarmLevel.Ppm30,
            _ => CarbonMonoxideAlarmLevel.None,
        };
    }

    /// <summary>
    /// The window in which the standard lets an alarm sound at a level: not before <paramref name="noAlarmBefore"/>,
    /// and at the latest by <paramref name="alarmBy"/> (infinite when no alarm is required).
    /// </summary>
    public static void ResponseWindow(CarbonMonoxideAlarmLevel level, out TimeSpan noAlarmBefore, out TimeSpan alarmBy)
    {
        (noAlarmBefore, alarmBy) = level switch
        {
            CarbonMonoxideAlarmLevel.None => (TimeSpan.MaxValue, TimeSpan.MaxValue),
            CarbonMonoxideAlarmLevel.Ppm30 => (TimeSpan.FromMinutes(120), TimeSpan.MaxValue),
            CarbonMonoxideAlarmLevel.Ppm50 => (TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(90)),
            CarbonMonoxideAlarmLevel.Ppm100 => (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(40)),
            CarbonMonoxideAlarmLevel.Ppm300 => (TimeSpan.Zero, TimeSpan.FromMinutes(3)),
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown alarm level."),
        };
    }

    /// <summary>True when a compliant alarm must already have sounded after a steady exposure at a concentration (ppm).</summary>
    public static bool AlarmRequired(double ppm, TimeSpan exposure)
    {
        ResponseWindow(Classify(ppm), out _, out TimeSpan alarmBy);
        return exposure >= alarmBy && alarmBy != TimeSpan.MaxValue;
    }
}
