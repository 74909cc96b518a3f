using System.Text.Json.Serialization;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>Where a case came from.</summary>
[GenerateSerializer]
public enum CaseSource
{
    /// <summary>A sensor alert (gas, smoke, CO, SOS, welfare check, muck-truck violation, …).</summary>
    Sensor,

    /// <summary>A citizen's photo report from the app.</summary>
    Citizen,

    /// <summary>An entry of the 12345 hotline.</summary>
    Hotline,

    /// <summary>A grid worker's patrol report.</summary>
    Patrol,

    /// <summary>An AI camera detection.</summary>
    [JsonStringEnumMemberName("ai-camera")]
    AiCamera,

    /// <summary>A drone change detection (a polygon).</summary>
    Drone,

    /// <summary>A satellite change detection (a polygon).</summary>
    Satellite,
}
