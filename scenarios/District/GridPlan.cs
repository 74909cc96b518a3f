namespace CityTwin.Scenarios.District;

/// <summary>A governance grid as the generator lays it out: its id, its community and street, and its rectangle in UTM metres.</summary>
internal readonly record struct GridPlan(string GridId, string CommunityId, string StreetId, UtmRect Rect);
