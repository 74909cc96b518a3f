namespace CityTwin.Grains.Rules;

/// <summary>The <see cref="Model.Alert.Kind"/> values the telemetry rules raise (camelCase, as filtered in GET /api/alerts).</summary>
public static class AlertKinds
{
    /// <summary>Gas over its alarm point.</summary>
    public const string Gas = "gas";

    /// <summary>Smoke over its alarm point.</summary>
    public const string Smoke = "smoke";

    /// <summary>Carbon monoxide over its alarm point.</summary>
    public const string CarbonMonoxide = "carbonMonoxide";

    /// <summary>An SOS button pressed.</summary>
    public const string Sos = "sos";

    /// <summary>A gas, smoke or CO reading back below its alarm point (Info).</summary>
    public const string AlarmCleared = "alarmCleared";

    /// <summary>No water drawn for too long in an elderly resident's home.</summary>
    public const string Welfare = "welfare";

    /// <summary>A sensor silent for too long.</summary>
    public const string Offline = "offline";

    /// <summary>A sensor's battery below the low mark.</summary>
    public const string LowBattery = "lowBattery";

    /// <summary>A river gauge entered a higher warning tier (channel "warning").</summary>
    public const string RiverTier = "riverTier";

    /// <summary>A river gauge dropped back to a lower tier (channel "warning", Info).</summary>
    public const string RiverTierLowered = "riverTierLowered";

    /// <summary>A river rising faster than the rate-of-rise limit (channel "warning").</summary>
    public const string RateOfRise = "rateOfRise";
}
