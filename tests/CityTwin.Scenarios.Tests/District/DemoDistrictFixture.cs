using CityTwin.Scenarios.District;

namespace CityTwin.Scenarios.Tests.District;

/// <summary>One default demo district shared by the read-only generator tests (generation takes about a second).</summary>
public sealed class DemoDistrictFixture
{
    /// <summary>The options the shared district was generated from.</summary>
    public DistrictOptions Options { get; } = new() { Seed = 20240611 };

    /// <summary>The shared district.</summary>
    public CityTwin.Scenarios.District.District District { get; }

    /// <summary>Generates the shared district.</summary>
    public DemoDistrictFixture() => District = DistrictGenerator.Generate(Options);
}
