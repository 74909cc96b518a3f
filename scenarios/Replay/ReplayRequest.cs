namespace CityTwin.Scenarios.Replay;

/// <summary>
/// Replay the recorded inputs (kinds "reading" and "position") with <c>from &lt;= at &lt; to</c> into a fork at
/// <paramref name="Speed"/> x real time (0 = as fast as possible); the forecast is the one made at <paramref name="From"/>.
/// </summary>
public sealed record ReplayRequest(DateTimeOffset From, DateTimeOffset To, double Speed)
{
    /// <summary>How far before <see cref="From"/> readings are used to make the forecast.</summary>
    public TimeSpan ForecastBasis { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Checks the request; returns the bad field and why, or null.</summary>
    public (string Field, string Reason)? Validate()
    {
        if (To <= From)
        {
            return ("to", "must be later than from");
        }

        if (To - From > TimeSpan.FromDays(31))
        {
            return ("to", "must be at most 31 days after from");
        }

        return !double.IsFinite(Speed) || Speed < 0 ? ("speed", "must be a number >= 0 (0 = as fast as possible)") : null;
    }
}
