using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class GasConcentrationTests
{
    // ppm = C[mg/m^3] x 24.04 / MW at 20 °C and 1 atm (ideal-gas molar volume 24.04 L/mol).
    [Fact]
    public void Converts_mass_concentration_to_ppm()
    {
        // 1 ppm of CO is 28.01 / 24.04 = 1.165 mg/m^3 at 20 °C.
        Assert.Equal(1.0, GasConcentration.CarbonMonoxidePpm(28.01 / 24.04 / 1000), 1e-12);
        Assert.Equal(1.1651, GasConcentration.FromPpm(1, GasConcentration.CarbonMonoxideMolarMassGPerMol) * 1000, 1e-4);
        Assert.Equal(100.0, GasConcentration.ToPpm(GasConcentration.FromPpm(100, 44.01), 44.01), 1e-9);
    }

    // Methane's lower explosive limit is 5 % by volume = 50,000 ppm = 50,000 x 16.04 / 24.04 mg/m^3 = 33.36 g/m^3.
    [Fact]
    public void Methane_at_33_36_grams_per_cubic_metre_is_at_its_LEL()
    {
        double lel = 50_000 * 16.04 / 24.04 / 1000;
        Assert.Equal(33.36, lel, 0.01);
        Assert.Equal(1.0, GasConcentration.MethaneLelFraction(lel), 1e-12);
        Assert.Equal(5.0, GasConcentration.ToVolumePercent(lel, GasConcentration.MethaneMolarMassGPerMol), 1e-12);
        Assert.Equal(0.1, GasConcentration.MethaneLelFraction(lel / 10), 1e-12);
    }
}
