using Orleans;

namespace CityTwin.Grains.Rules;

/// <summary>Which area's staff an alert goes to besides the building's own contacts.</summary>
[GenerateSerializer]
public enum AlertAudience
{
    /// <summary>The community's staff (home alarms: gas, smoke, CO, SOS).</summary>
    Community,

    /// <summary>The governance grid's staff (welfare checks, offline devices, low batteries).</summary>
    Grid,
}
