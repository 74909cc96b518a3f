namespace CityTwin.Scenarios.Models;

/// <summary>Urban land-cover classes of USDA TR-55 (1986) Table 2-2a (and woods from Table 2-2c) used to pick a curve number.</summary>
public enum UrbanLandCover
{
    /// <summary>Parks, lawns, cemeteries with grass cover over 75 % (good condition).</summary>
    OpenSpaceGood,

    /// <summary>Open space with grass cover 50-75 % (fair condition).</summary>
    OpenSpaceFair,

    /// <summary>Paved parking lots, roofs, driveways and paved streets with curbs and storm sewers.</summary>
    Impervious,

    /// <summary>Gravel streets and roads.</summary>
    GravelRoad,

    /// <summary>Commercial and business districts, about 85 % impervious.</summary>
    Commercial,

    /// <summary>Industrial districts, about 72 % impervious.</summary>
    Industrial,

    /// <summary>Residential, lots of 1/8 acre or less (town houses), about 65 % impervious.</summary>
    ResidentialDense,

    /// <summary>Residential, 1/4 acre lots, about 38 % impervious.</summary>
    ResidentialQuarterAcre,

    /// <summary>Residential, 1/2 acre lots, about 25 % impervious.</summary>
    ResidentialHalfAcre,

    /// <summary>Newly graded areas, pervious, no vegetation.</summary>
    NewlyGraded,

    /// <summary>Woods in good condition (TR-55 Table 2-2c).</summary>
    WoodsGood,

    /// <summary>Open water: all rain runs off (CN 100, the usual convention; not in TR-55).</summary>
    Water,
}
