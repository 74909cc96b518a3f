namespace CityTwin.Scenarios.Models;

/// <summary>
/// Pasquill-Gifford stability class from the 10 m wind speed and daytime insolation or night cloud cover,
/// after Turner, Workbook of Atmospheric Dispersion Estimates (1970), Table 1 (also Seinfeld and Pandis, Table 18.3).
/// </summary>
/// <remarks>
/// Turner's table gives intermediate classes (A-B, B-C, C-D); a single class is returned, the more stable of the
/// pair, because for the near-ground releases of a city gas leak the more stable class gives the higher
/// ground-level concentration, which is the safe side for evacuation decisions. Pasquill left the night cells
/// below 2 m/s blank; like NOAA's READY tool we use the 2-3 m/s values (E, F) there.
/// Wind-speed bands are &lt;2, 2-3, 3-5, 5-6 and &gt;=6 m/s, with each boundary belonging to the faster band.
/// </remarks>
public static class PasquillGiffordStability
{
    // Rows: wind-speed band; columns: strong, moderate, slight insolation (intermediates resolved to the more stable).
    private static readonly StabilityClass[,] _dayTable =
    {
        { StabilityClass.A, StabilityClass.B, StabilityClass.B }, // < 2 m/s:  A, A-B, B
        { StabilityClass.B, StabilityClass.B, StabilityClass.C }, // 2-3 m/s:  A-B, B, C
        { StabilityClass.B, StabilityClass.C, StabilityClass.C }, // 3-5 m/s:  B, B-C, C
        { StabilityClass.C, StabilityClass.D, StabilityClass.D }, // 5-6 m/s:  C, C-D, D
        { StabilityClass.C, StabilityClass.D, StabilityClass.D }, // >= 6 m/s: C, D, D
    };

    // Rows: wind-speed band; columns: thinly overcast or >= 4/8 low cloud, <= 3/8 cloud.
    private static readonly StabilityClass[,] _nightTable =
    {
        { StabilityClass.E, StabilityClass.F },
        { StabilityClass.E, StabilityClass.F },
        { StabilityClass.D, StabilityClass.E },
        { StabilityClass.D, StabilityClass.D },
        { StabilityClass.D, StabilityClass.D },
    };

    /// <summary>Stability class by day from the 10 m wind speed and the insolation category.</summary>
    public static StabilityClass Daytime(double windSpeed10mMps, Insolation insolation)
    {
        return _dayTable[WindBand(windSpeed10mMps), (int)insolation];
    }

    /// <summary>Stability class by night (one hour before sunset to one hour after sunrise) from wind and cloud in oktas (0-8).</summary>
    public static StabilityClass Nighttime(double windSpeed10mMps, int cloudCoverOktas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cloudCoverOktas);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cloudCoverOktas, 8);
        int band = WindBand(windSpeed10mMps);
        // Turner: a fully overcast sky is neutral (D) day or night, whatever the wind.
        if (cloudCoverOktas == 8)
        {
            return StabilityClass.D;
        }

        return _nightTable[band, cloudCoverOktas >= 4 ? 0 : 1];
    }

    /// <summary>Stability class under a fully overcast sky, day or night: always neutral (D) per Turner.</summary>
    public static StabilityClass Overcast() => StabilityClass.D;

    /// <summary>Parses "A".."F" (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out StabilityClass stability)
    {
        stability = StabilityClass.D;
        if (text is null || text.Length != 1)
        {
            return false;
        }

        char c = char.ToUpperInvariant(text[0]);
        if (c < 'A' || c > 'F')
        {
            return false;
        }

        stability = (StabilityClass)(c - 'A');
        return true;
    }

    private static int WindBand(double windSpeed10mMps)
    {
        if (!double.IsFinite(windSpeed10mMps) || windSpeed10mMps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windSpeed10mMps), windSpeed10mMps, "Wind speed must be finite and non-negative.");
        }

        return windSpeed10mMps switch
        {
            < 2 => 0,
            < 3 => 1,
            < 5 => 2,
            < 6 => 3,
            _ => 4,
        };
    }
}
