namespace CityTwin.TwinApi.Tests;

/// <summary>The server with simulated traffic on (as the demo profile has it), at a rate fast enough for a test.</summary>
public sealed class SimulatedTwinFixture : TwinServerFixture
{
    /// <inheritdoc />
    protected override string[] ExtraArgs =>
        ["--Simulation:Enabled", "true", "--Simulation:ReadingsPerSecond", "400", "--Simulation:PositionsPerSecond", "40", "--Simulation:Interval", "00:00:00.2"];
}
