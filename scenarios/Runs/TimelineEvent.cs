using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// An event injected at <see cref="At"/> after the scenario's start. <see cref="Target"/> is an entity id or a selector
/// (<c>@muck-truck</c>); a position is [lon, lat] or a geofence selector (<c>@checkpoint</c>).
/// </summary>
public sealed record TimelineEvent(TimeSpan At, TimelineEventType Type, string? Target)
{
    /// <summary>Reading value, or gauge level (m above datum).</summary>
    public double? Value { get; init; }

    /// <summary>Reading unit.</summary>
    public string? Unit { get; init; }

    /// <summary>Position as [lon, lat].</summary>
    public GeoPoint? Position { get; init; }

    /// <summary>Position as a geofence selector, resolved in the fork.</summary>
    public string? PositionRef { get; init; }

    /// <summary>Vehicle speed, km/h.</summary>
    public double? SpeedKmh { get; init; }

    /// <summary>Muck truck load covered.</summary>
    public bool? Covered { get; init; }

    /// <summary>Muck truck load, tonnes.</summary>
    public double? LoadTonnes { get; init; }

    /// <summary>Note text.</summary>
    public string? Text { get; init; }
}
