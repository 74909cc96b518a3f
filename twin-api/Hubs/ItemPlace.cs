using CityTwin.Grains.Geo;

namespace CityTwin.TwinApi.Hubs;

/// <summary>Where a pushed item lies: its position and the governance areas it belongs to (any may be unknown).</summary>
internal readonly record struct ItemPlace(GeoPoint? Position, string? GridId, string? CommunityId, string? StreetId)
{
    /// <summary>True when at least one area id is known, so area subscriptions are matched by id.</summary>
    public bool HasAreaIds => GridId is not null || CommunityId is not null || StreetId is not null;
}
