using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.TwinApi.Api;

/// <summary>A parsed GET /api/entities request.</summary>
public sealed record EntityQuery(
    EntityType? Type, GeoBox? Box, GeoPoint? Near, double? RadiusM, string? WithinAreaId, IReadOnlyList<AttributeFilter> Filters, int Page, int PageSize);
