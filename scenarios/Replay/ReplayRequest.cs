using System.Globalization;
using System.Xml;
using CityTwin.Scenarios.Runs;

namespace CityTwin.Scenarios.Replay;

/// <summary>
/// Replay the recorded inputs (kinds "reading" and "position") with <c>from &lt;= at &lt; to</c> into a fork at
/// <paramref name="Speed"/> x real time (0 = as fast as possible); the forecast is the one made at <paramref name="From"/>.
/// </summary>
public sealed record ReplayRequest(DateTimeOffset From, DateTimeOffset To, double Speed)
{
    /// <summary>Fastest pace accepted other than 0 (as fast as possible).</summary>
    public const double MaxSpeed = 1e6;

    /// <summary>How far before <see cref="From"/> readings are used to make the forecast.</summary>
    public TimeSpan ForecastBasis { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Checks the request against the budgets in <paramref name="limits"/>, given the live clock's <paramref name="now"/>
    /// (nothing after it has been recorded); returns the bad field and why, or null.
    /// </summary>
    public (string Field, string Reason)? Validate(DateTimeOffset now, ScenarioRunOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (ScenarioParser.TimeOutOfRange(From) is { } fromWhy)
        {
            return ("from", fromWhy);
        }

        if (ScenarioParser.TimeOutOfRange(To) is { } toWhy)
        {
            return ("to", toWhy);
        }

        if (To <= From)
        {
            return ("to", "must be later than from");
        }

        if (To - From > limits.MaxReplayRange)
        {
            return ("to", $"must be at most {XmlConvert.ToString(limits.MaxReplayRange)} after from (Scenarios:MaxReplayRange)");
        }

        if (From >= now)
        {
            return ("from", $"must be earlier than now ({now:O}): nothing later has been recorded");
        }

        if (!double.IsFinite(Speed) || Speed < 0 || Speed > MaxSpeed)
        {
            return ("speed", $"must be 0 (as fast as possible) or a number up to {MaxSpeed.ToString(CultureInfo.InvariantCulture)}");
        }

        // At a pace, the replay takes range / speed of real time: it must fit the run's time budget.
        double slowest = (To - From) / limits.MaxRunTime;
        if (Speed > 0 && Speed < slowest)
        {
            return ("speed", $"must be 0 or at least {Math.Ceiling(slowest * 1000) / 1000:0.###} for this range: at {Speed.ToString(CultureInfo.InvariantCulture)}x it would take longer than {XmlConvert.ToString(limits.MaxRunTime)} (Scenarios:MaxRunTime)");
        }

        return null;
    }
}
