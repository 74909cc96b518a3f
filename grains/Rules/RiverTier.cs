namespace CityTwin.Grains.Rules;

/// <summary>River warning tiers, in rising order of danger.</summary>
public enum RiverTier
{
    /// <summary>Below the blue tier.</summary>
    Normal,

    /// <summary>Within the near-warning margin below the warning level: notify.</summary>
    Blue,

    /// <summary>At or above the warning level: prepare to transfer.</summary>
    Yellow,

    /// <summary>At or above the guaranteed level: transfer now.</summary>
    Orange,

    /// <summary>At or above the historic maximum: transfer now.</summary>
    Red,
}
