using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A responder (a grid worker with a handheld terminal): where they work, where they are, what they can do.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record ResponderDefinition(
    string Id, string Name, string Phone, string TerminalId, string GridId, string? CommunityId, string? StreetId, GeoPoint Position, string[] Skills);
