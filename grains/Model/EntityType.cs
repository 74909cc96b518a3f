using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>The kinds of entity in the twin, as named in the API (lower-case).</summary>
[GenerateSerializer]
public enum EntityType
{
    /// <summary>Area.</summary>
    Area,

    /// <summary>Cell.</summary>
    Cell,

    /// <summary>Building.</summary>
    Building,

    /// <summary>Sensor.</summary>
    Sensor,

    /// <summary>Gauge.</summary>
    Gauge,

    /// <summary>Vehicle.</summary>
    Vehicle,

    /// <summary>Responder.</summary>
    Responder,

    /// <summary>Geofence.</summary>
    Geofence,

    /// <summary>Station.</summary>
    Station,

    /// <summary>Case.</summary>
    Case,
}
