namespace CityTwin.Scenarios.Models;

/// <summary>Daytime incoming solar radiation category of Turner's (1970) stability table.</summary>
public enum Insolation
{
    /// <summary>Strong: clear sky, sun higher than 60 degrees above the horizon.</summary>
    Strong,

    /// <summary>Moderate: sun between 35 and 60 degrees, or strong insolation under scattered cloud.</summary>
    Moderate,

    /// <summary>Slight: sun between 15 and 35 degrees, or moderate insolation under broken cloud.</summary>
    Slight,
}
