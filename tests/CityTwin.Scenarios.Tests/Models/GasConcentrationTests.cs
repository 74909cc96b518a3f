using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

public sealed class GasConcentrationTests
{
    // Source: NIOSH Pocket Guide to Chemical Hazards (DHHS (NIOSH) 2007-149), conversion factors at 25 °C and 1 atm:
    // carbon monoxide 1 ppm = 1.15 mg/m3, hydrogen sulfide 1 ppm = 1.40 mg/m3, ammonia 1 ppm = 0.70 mg/m3 (molecular
    // weights 28.0, 34.1, 17.0). The guide rounds its factors to two places and takes 24.45 L/mol where R T / P gives
    // 24.465, hence 1 %.
    [Theory]
    [InlineData(28.01, 1.15)]
    [InlineData(34.08, 1.40)]
    [InlineData(17.03, 0.70)]
    public void Ppm_converts_as_the_NIOSH_pocket_guide_lists_at_25_C(double molarMass, double mgPerPpm)
    {
        Assert.Equal(mgPerPpm, GasConcentration.FromPpm(1, molarMass, 25) * 1000, 0.01 * mgPerPpm);
        Assert.Equal(1.0, GasConcentration.ToPpm(mgPerPpm / 1000, molarMass, 25), 0.01);
    }

    // Source: NIOSH, "Carbon monoxide", Immediately Dangerous to Life or Health Concentrations (IDLH) documentation
    // (May 1994; the same pairs in the NIOSH Pocket Guide and OSHA's Chemical Sampling Information page): NIOSH REL
    // 35 ppm (40 mg/m3) TWA and 200 ppm (229 mg/m3) ceiling, ACGIH TLV 25 ppm (29 mg/m3), all at 25 °C and 1 atm.
    // Tolerance: the published mg/m3 are rounded to whole numbers.
    [Theory]
    [InlineData(25.0, 29.0)]
    [InlineData(35.0, 40.0)]
    [InlineData(200.0, 229.0)]
    public void Carbon_monoxide_exposure_limits_convert_as_NIOSH_publishes_them(double ppm, double mgPerCubicMetre)
    {
        const double mw = GasConcentration.CarbonMonoxideMolarMassGPerMol;
        Assert.Equal(mgPerCubicMetre, GasConcentration.FromPpm(ppm, mw, 25) * 1000, 0.5);
        Assert.Equal(ppm, GasConcentration.ToPpm(mgPerCubicMetre / 1000, mw, 25), 0.5 * ppm / mgPerCubicMetre);
    }

    // The reference conditions of the EU air-quality directive (2008/50/EC, annex VI): 293 K and 101.3 kPa, where an
    // ideal gas occupies R T / P = 8.314462618 x 293.15 / 101325 = 24.055 L/mol, so 1 ppm of CO is 28.01 / 24.055 =
    // 1.164 mg/m3.
    [Fact]
    public void At_20_C_one_ppm_of_carbon_monoxide_is_1_16_mg_per_cubic_metre()
    {
        Assert.Equal(24.055, GasConcentration.MolarVolumeLitresPerMol, 0.001);
        Assert.Equal(1.164, GasConcentration.FromPpm(1, GasConcentration.CarbonMonoxideMolarMassGPerMol) * 1000, 0.001);
        Assert.Equal(1.0, GasConcentration.CarbonMonoxidePpm(1.164e-3), 0.001);
        Assert.Equal(100.0, GasConcentration.ToPpm(GasConcentration.FromPpm(100, 44.01), 44.01), 1e-9);
    }

    // Source: Zabetakis (1965), Flammability Characteristics of Combustible Gases and Vapors, US Bureau of Mines
    // Bulletin 627, limits in air of the paraffin hydrocarbons: methane 5.0 to 15.0 % by volume (also NFPA 325). The LEL
    // is 50,000 ppm, which at 20 °C is 50,000 x 16.04 / 24.055 mg/m3 = 33.34 g/m3.
    [Fact]
    public void Methane_at_33_34_grams_per_cubic_metre_is_at_its_LEL()
    {
        const double lel = 33.34;
        Assert.Equal(1.0, GasConcentration.MethaneLelFraction(lel), 0.001);
        Assert.Equal(5.0, GasConcentration.ToVolumePercent(lel, GasConcentration.MethaneMolarMassGPerMol), 0.005);
        Assert.Equal(0.1, GasConcentration.MethaneLelFraction(lel / 10), 0.0001);
    }
}
