namespace CityTwin.Scenarios.Runs;

/// <summary>The released gas, which fixes the thresholds applied.</summary>
public enum GasSubstance
{
    /// <summary>Natural gas (methane): lower explosive limit 5 % by volume.</summary>
    Methane,

    /// <summary>Carbon monoxide: EN 50291 alarm levels.</summary>
    CarbonMonoxide,
}
