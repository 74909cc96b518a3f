using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A square raster cell: terrain and drainage properties used by the rainfall model and heat maps.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record CellDefinition(
    string Id, int Index, int Column, int Row, GeoPoint Centre, double SizeM, double ElevationM, double Imperviousness,
    double CurveNumber, double DrainageMmPerHour, bool IsRiver, string? GridId);
