using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A building: footprint, use, occupants (elderly counted), its areas and cell, contacts and installed sensors.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record BuildingDefinition(
    string Id, BuildingUse Use, int Floors, GeoPoint Centroid, GeoPoint[] Footprint, int Households, int Occupants, int Elderly,
    string GridId, string CommunityId, string StreetId, string CellId, Contact[] Contacts, string[] SensorIds);
