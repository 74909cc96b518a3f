namespace CityTwin.Grains.Cases;

/// <summary>The areas and raster cell a location lies in (any may be unknown when the twin has no district loaded).</summary>
public sealed record CasePlace(string? GridId, string? CommunityId, string? StreetId, string DistrictId, string? CellId);
