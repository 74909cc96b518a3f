using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>What the twin knows about the loaded district as a whole: its name, origin, projection and static features.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class DistrictMeta
{
    /// <summary>The district's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The generator seed (when generated).</summary>
    public int Seed { get; set; }

    /// <summary>UTM zone of the district's projected CRS.</summary>
    public int UtmZone { get; set; }

    /// <summary>Northern hemisphere.</summary>
    public bool UtmNorth { get; set; } = true;

    /// <summary>When the district was loaded.</summary>
    public DateTimeOffset LoadedAt { get; set; }

    /// <summary>Entity counts by type at load.</summary>
    public Dictionary<string, int> Counts { get; set; } = [];

    /// <summary>Muck-truck geofences.</summary>
    public GeofenceDefinition[] Geofences { get; set; } = [];

    /// <summary>Vehicle bases.</summary>
    public StationDefinition[] Stations { get; set; } = [];

    /// <summary>True once a district was loaded.</summary>
    public bool IsLoaded => UtmZone != 0;
}
