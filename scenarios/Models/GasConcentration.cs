namespace CityTwin.Scenarios.Models;

/// <summary>
/// Converts mass concentrations (g/m^3) to volume fractions (ppm, % by volume) of an ideal gas at 20 °C and 1 atm,
/// ppm = C[mg/m^3] x 24.04 / MW, and compares methane with its lower explosive limit.
/// </summary>
public static class GasConcentration
{
    /// <summary>Molar volume of an ideal gas at 20 °C, 101.325 kPa, in litres per mole.</summary>
    public const double MolarVolumeLitresPerMol = 24.04;

    /// <summary>Molar mass of methane, CH4, g/mol.</summary>
    public const double MethaneMolarMassGPerMol = 16.04;

    /// <summary>Molar mass of carbon monoxide, CO, g/mol.</summary>
    public const double CarbonMonoxideMolarMassGPerMol = 28.01;

    /// <summary>Lower explosive limit of methane in air, 5 % by volume (50,000 ppm).</summary>
    public const double MethaneLelVolumePercent = 5.0;

    /// <summary>Volume fraction in ppm of a gas with the given molar mass at a mass concentration in g/m^3.</summary>
    public static double ToPpm(double gramsPerCubicMetre, double molarMassGPerMol)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(molarMassGPerMol);
        return gramsPerCubicMetre * 1000.0 * MolarVolumeLitresPerMol / molarMassGPerMol;
    }

    /// <summary>Mass concentration in g/m^3 of a gas at a volume fraction in ppm.</summary>
    public static double FromPpm(double ppm, double molarMassGPerMol)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(molarMassGPerMol);
        return ppm * molarMassGPerMol / (MolarVolumeLitresPerMol * 1000.0);
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
