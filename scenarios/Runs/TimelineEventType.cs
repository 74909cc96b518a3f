namespace CityTwin.Scenarios.Runs;

/// <summary>What a timeline event injects into the fork.</summary>
public enum TimelineEventType
{
    /// <summary>A sensor reading (runs the sensor's rules).</summary>
    Reading,

    /// <summary>A vehicle position report (runs geofence and muck-truck rules).</summary>
    Position,

    /// <summary>A river gauge level (runs the tiered warning rules).</summary>
    Gauge,

    /// <summary>A note written to the run's timeline.</summary>
    Note,
}
