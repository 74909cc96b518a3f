using CityTwin.Grains.Model;

namespace CityTwin.Grains.Rules;

/// <summary>
/// Classifies a river level into warning tiers: blue from <c>warning - margin</c> (near the warning level), yellow at the
/// warning level, orange at the guaranteed level, red at the historic maximum (or the guaranteed level, if the record lies below it); each with the action residents are told
/// (notify / prepare to transfer / transfer now). Leaving a tier needs the level to fall <c>hysteresis</c> below its lower
/// bound, so a level hovering at a boundary does not flap between tiers and re-raise the same warning.
/// </summary>
public static class RiverTierRule
{
    /// <summary>The tier of <paramref name="levelM"/> ignoring history.</summary>
    public static RiverTier Classify(double levelM, GaugeDefinition gauge, double nearWarningMarginM) =>
        Classify(levelM, gauge, nearWarningMarginM, RiverTier.Normal, 0);

    /// <summary>The tier of <paramref name="levelM"/> given the current tier: rises at once, falls only past the hysteresis.</summary>
    public static RiverTier Classify(double levelM, GaugeDefinition gauge, double nearWarningMarginM, RiverTier current, double hysteresisM)
    {
        RiverTier raw = Raw(levelM, gauge, nearWarningMarginM);
        if (raw >= current)
        {
            return raw;
        }

        // Falling: step down only as far as the level is clear of each lower bound by the hysteresis.
        RiverTier tier = current;
        while (tier > raw && levelM < LowerBound(tier, gauge, nearWarningMarginM) - hysteresisM)
        {
            tier--;
        }

        return tier;
    }

    /// <summary>The level at which <paramref name="tier"/> starts.</summary>
    public static double LowerBound(RiverTier tier, GaugeDefinition gauge, double nearWarningMarginM) => tier switch
    {
        RiverTier.Blue => gauge.WarningLevelM - nearWarningMarginM,
        RiverTier.Yellow => gauge.WarningLevelM,
        RiverTier.Orange => gauge.GuaranteedLevelM,
        RiverTier.Red => RedLevel(gauge),
        _ => double.NegativeInfinity,
    };

    /// <summary>What residents are told to do in a tier ("" when normal).</summary>
    public static string ActionFor(RiverTier tier) => tier switch
    {
        RiverTier.Blue => "notify",
        RiverTier.Yellow => "prepare to transfer",
        RiverTier.Orange or RiverTier.Red => "transfer now",
        _ => "",
    };

    /// <summary>The severity of an alert announcing a tier.</summary>
    public static AlertSeverity SeverityFor(RiverTier tier) => tier switch
    {
        RiverTier.Orange or RiverTier.Red => AlertSeverity.Critical,
        RiverTier.Yellow => AlertSeverity.Warning,
        _ => AlertSeverity.Info,
    };

    /// <summary>The tier's name as shown in summaries ("normal", "blue", "yellow", "orange", "red").</summary>
    public static string NameOf(RiverTier tier) => tier switch
    {
        RiverTier.Blue => "blue",
        RiverTier.Yellow => "yellow",
        RiverTier.Orange => "orange",
        RiverTier.Red => "red",
        _ => "normal",
    };

    // A record high below the guaranteed level would put red before orange; red never starts below orange.
    private static double RedLevel(GaugeDefinition gauge) => Math.Max(gauge.HistoricMaxLevelM, gauge.GuaranteedLevelM);

    private static RiverTier Raw(double levelM, GaugeDefinition gauge, double nearWarningMarginM) =>
        levelM >= RedLevel(gauge) ? RiverTier.Red
        : levelM >= gauge.GuaranteedLevelM ? RiverTier.Orange
        : levelM >= gauge.WarningLevelM ? RiverTier.Yellow
        : levelM >= gauge.WarningLevelM - nearWarningMarginM ? RiverTier.Blue
        : RiverTier.Normal;
}
