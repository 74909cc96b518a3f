namespace CityTwin.Scenarios.Models;

/// <summary>Pasquill-Gifford atmospheric stability class, from A (very unstable) to F (moderately stable).</summary>
public enum StabilityClass
{
    /// <summary>Very unstable.</summary>
    A,

    /// <summary>Moderately unstable.</summary>
    B,

    /// <summary>Slightly unstable.</summary>
    C,

    /// <summary>Neutral (also used for overcast day or night).</summary>
    D,

    /// <summary>Slightly stable.</summary>
    E,

    /// <summary>Moderately stable.</summary>
    F,
}
