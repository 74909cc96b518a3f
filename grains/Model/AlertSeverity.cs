using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>How urgent an alert is.</summary>
[GenerateSerializer]
public enum AlertSeverity
{
    /// <summary>Info.</summary>
    Info,

    /// <summary>Warning.</summary>
    Warning,

    /// <summary>Critical.</summary>
    Critical,
}
