using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// What one subscription asks for: an area (null: the whole district), a box, entity types (empty: all) and channels.
/// Types select alerts, warnings and entity changes; case changes and scenario progress are chosen by channel only.
/// </summary>
internal sealed record SubscriptionFilter(string? AreaId, GeoPoint[]? AreaShape, GeoBox? Box, int TypeMask, PushChannels Channels)
{
    /// <summary>Everything: the whole district, every type, every channel.</summary>
    public static SubscriptionFilter Everything { get; } = new(null, null, null, 0, PushChannels.All);

    /// <summary>The bit of <paramref name="type"/> in <see cref="TypeMask"/>.</summary>
    public static int TypeBit(EntityType type) => 1 << (int)type;

    /// <summary>
    /// True when an item on <paramref name="channel"/> passes the type and box filters. The area was matched by the
    /// index; <paramref name="type"/> null means the channel has no entity type; <paramref name="place"/> null means
    /// the item has no place, so spatial filters do not apply.
    /// </summary>
    public bool Accepts(PushChannels channel, EntityType? type, ItemPlace? place)
    {
        if ((Channels & channel) == 0)
        {
            return false;
        }

        if (TypeMask != 0 && type is { } t && (TypeMask & TypeBit(t)) == 0)
        {
            return false;
        }

        return Box is not { } box || place?.Position is not { } position || box.Contains(position);
    }

    /// <summary>True when <paramref name="point"/> lies inside the area's polygon (for items that carry no area ids).</summary>
    public bool AreaContains(GeoPoint point)
    {
        if (AreaShape is not { Length: >= 3 } ring)
        {
            return false;
        }

        // Even-odd ray casting in lon/lat: areas are small and far from the poles and the antimeridian.
        bool inside = false;
        for (int i = 0, j = ring.Length - 1; i < ring.Length; j = i++)
        {
            GeoPoint a = ring[i], b = ring[j];
            if ((a.Lat > point.Lat) != (b.Lat > point.Lat) &&
                point.Lon < ((b.Lon - a.Lon) * (point.Lat - a.Lat) / (b.Lat - a.Lat)) + a.Lon)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
