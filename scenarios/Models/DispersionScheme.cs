namespace CityTwin.Scenarios.Models;

/// <summary>Which curves give the plume spread (sigma-y, sigma-z) as a function of downwind distance.</summary>
public enum DispersionScheme
{
    /// <summary>Pasquill-Gifford curves as fitted in ISC3 (EPA-454/B-95-003b, vol. II, eqs. 1-32 to 1-35, Tables 1-1 and 1-2).</summary>
    PasquillGifford,

    /// <summary>Briggs (1973) open-country formulas, as tabulated by Hanna, Briggs and Hosker (1982) and Seinfeld and Pandis.</summary>
    BriggsRural,

    /// <summary>Briggs (1973) urban formulas (St. Louis data), same sources as <see cref="BriggsRural"/>.</summary>
    BriggsUrban,
}
