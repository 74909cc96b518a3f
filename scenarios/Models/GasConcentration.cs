namespace CityTwin.Scenarios.Models;

/// <summary>
/// Converts mass concentrations (g/m^3) to volume fractions (ppm, % by volume) of an ideal gas at 1 atm, by default at
/// 20 °C (the EU air-quality reference, 293.15 K and 101.325 kPa): ppm = C[mg/m^3] x Vm / MW with Vm = R T / P
/// (24.055 L/mol at 20 °C, 24.465 L/mol at 25 °C), and compares methane with its lower explosive limit.
/// </summary>
public static class GasConcentration
{
    /// <summary>Molar gas constant, J/(mol K) (CODATA 2018, exact).</summary>
    public const double GasConstant = 8.314462618;

    /// <summary>Standard atmosphere, Pa.</summary>
    public const double StandardPressurePa = 101_325;

    /// <summary>Reference temperature of the conversions, °C.</summary>
    public const double ReferenceTemperatureC = 20;

    /// <summary>Molar volume of an ideal gas at 20 °C, 101.325 kPa, in litres per mole (R T / P = 24.055).</summary>
    public static readonly double MolarVolumeLitresPerMol = MolarVolumeLitres(ReferenceTemperatureC);

    /// <summary>Molar mass of methane, CH4, g/mol.</summary>
    public const double MethaneMolarMassGPerMol = 16.04;

    /// <summary>Molar mass of carbon monoxide, CO, g/mol.</summary>
    public const double CarbonMonoxideMolarMassGPerMol = 28.01;

    /// <summary>Lower explosive limit of methane in air, 5 % by volume (50,000 ppm).</summary>
    public const double MethaneLelVolumePercent = 5.0;

    /// <summary>Molar volume of an ideal gas at <paramref name="temperatureC"/> and 1 atm, litres per mole.</summary>
    public static double MolarVolumeLitres(double temperatureC) => GasConstant * (temperatureC + 273.15) / StandardPressurePa * 1000.0;

    /// <summary>Volume fraction in ppm of a gas with the given molar mass at a mass concentration in g/m^3 (at 1 atm and <paramref name="temperatureC"/>).</summary>
    public static double ToPpm(double gramsPerCubicMetre, double molarMassGPerMol, double temperatureC = ReferenceTemperatureC)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(molarMassGPerMol);
        return gramsPerCubicMetre * 1000.0 * MolarVolumeLitres(temperatureC) / molarMassGPerMol;
    }

    /// <summary>Mass concentration in g/m^3 of a gas at a volume fraction in ppm (at 1 atm and <paramref name="temperatureC"/>).</summary>
    public static double FromPpm(double ppm, double molarMassGPerMol, double temperatureC = ReferenceTemperatureC)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(molarMassGPerMol);
        return ppm * molarMassGPerMol / (MolarVolumeLitres(temperatureC) * 1000.0);
    }

    /// <summary>Volume percent of a gas at a mass concentration in g/m^3 (1 % = 10,000 ppm).</summary>
    public static double ToVolumePercent(double gramsPerCubicMetre, double molarMassGPerMol)
    {
        return ToPpm(gramsPerCubicMetre, molarMassGPerMol) / 10_000.0;
    }

    /// <summary>Methane as a fraction of its LEL (1.0 = 5 % by volume) at a mass concentration in g/m^3.</summary>
    public static double MethaneLelFraction(double gramsPerCubicMetre)
    {
        return ToVolumePercent(gramsPerCubicMetre, MethaneMolarMassGPerMol) / MethaneLelVolumePercent;
    }

    /// <summary>Carbon monoxide in ppm at a mass concentration in g/m^3.</summary>
    public static double CarbonMonoxidePpm(double gramsPerCubicMetre)
    {
        return ToPpm(gramsPerCubicMetre, CarbonMonoxideMolarMassGPerMol);
    }
}
