using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>The persistent state of an <see cref="AreaGrain"/>: its definition and alert counters by kind.</summary>
public sealed class AreaState : ITwinEntityState
{
    /// <summary>The static description; null until initialised.</summary>
    public AreaDefinition? Definition { get; set; }

    /// <summary>Makes this the first state of the area <paramref name="definition"/> describes.</summary>
    public void Initialize(AreaDefinition definition, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        InitializedAt = at;
        UpdatedAt = at;
    }

    /// <summary>When the area was initialised.</summary>
    public DateTimeOffset InitializedAt { get; set; }

    /// <summary>When the counters last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Alerts raised in the area, by kind.</summary>
    public Dictionary<string, long> AlertCounts { get; set; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsInitialized => Definition is not null;

    /// <inheritdoc />
    public EntitySummary ToSummary()
    {
        AreaDefinition d = Definition ?? throw new InvalidOperationException("The area is not initialised.");
        return new EntitySummary(d.Id, EntityType.Area, d.Kind.ToString(), d.Name, "active", Centre(d.Boundary), UpdatedAt)
        {
            Shape = d.Boundary,
            ParentId = d.ParentId,
            GridId = d.Kind == AreaKind.Grid ? d.Id : null,
            CommunityId = d.Kind == AreaKind.Community ? d.Id : null,
            StreetId = d.Kind == AreaKind.Street ? d.Id : null,
            Properties = new Dictionary<string, object>
            {
                ["staff"] = d.Staff.Length,
                ["alerts"] = AlertCounts.Values.Sum(),
            },
        };
    }

    /// <summary>The mean of the boundary's distinct vertices (a closed ring's repeated last vertex counted once).</summary>
    internal static GeoPoint Centre(GeoPoint[] ring)
    {
        int n = ring.Length > 1 && ring[0] == ring[^1] ? ring.Length - 1 : ring.Length;
        if (n == 0)
        {
            return default;
        }

        double lon = 0, lat = 0;
        for (int i = 0; i < n; i++)
        {
            lon += ring[i].Lon;
            lat += ring[i].Lat;
        }

        return new GeoPoint(lon / n, lat / n);
    }
}
