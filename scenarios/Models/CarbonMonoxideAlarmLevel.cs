namespace CityTwin.Scenarios.Models;

/// <summary>The carbon monoxide test concentrations of EN 50291-1 that a reading has reached.</summary>
public enum CarbonMonoxideAlarmLevel
{
    /// <summary>Below 30 ppm.</summary>
    None,

    /// <summary>At least 30 ppm: a domestic alarm must not sound within 120 minutes.</summary>
    Ppm30,

    /// <summary>At least 50 ppm: alarm after 60 and before 90 minutes.</summary>
    Ppm50,

    /// <summary>At least 100 ppm: alarm after 10 and before 40 minutes.</summary>
    Ppm100,

    /// <summary>At least 300 ppm: alarm within 3 minutes.</summary>
    Ppm300,
}
