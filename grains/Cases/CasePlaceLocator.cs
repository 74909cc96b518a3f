using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Finds the governance grid (and from it the community, street and district) and the raster cell a location lies in,
/// from the read model. The grid polygons are prepared once per loaded district and swapped in as an immutable
/// snapshot, so case grains on any thread read them without coordination.
/// </summary>
public sealed class CasePlaceLocator(TwinDirectory directory)
{
    /// <summary>The district id used when the twin has no district loaded.</summary>
    public const string DefaultDistrictId = "district";

    private static readonly GeometryFactory Factory = new();
    private Snapshot? _snapshot;

    /// <summary>The areas and cell of <paramref name="point"/>; ids already known (from an alert) are kept.</summary>
    public CasePlace Locate(GeoPoint point, string? gridId = null, string? communityId = null, string? streetId = null, string? buildingId = null)
    {
        Snapshot s = Current();
        if (gridId is null)
        {
            var p = Factory.CreatePoint(new Coordinate(point.Lon, point.Lat));
            foreach ((string id, Envelope box, IPreparedGeometry shape) in s.Grids)
            {
                if (box.Contains(p.Coordinate) && shape.Covers(p))
                {
                    gridId = id;
                    break;
                }
            }
        }

        communityId ??= Parent(gridId);
        streetId ??= Parent(communityId);
        string districtId = Parent(streetId) ?? s.RootId;
        string? cellId = buildingId is not null ? directory.Get(EntityType.Building, buildingId)?.CellId : null;
        if (cellId is null && directory.IsInitialized)
        {
            // Cells are a regular raster, so the nearest cell centre is the cell that holds the point.
            List<SpatialHit<string>> hits = directory.Near(EntityType.Cell, point, s.CellSearchM);
            cellId = hits.Count > 0 ? hits[0].Key : null;
        }

        return new CasePlace(gridId, communityId, streetId, districtId, cellId);
    }

    /// <summary>The id of the loaded district (the root area), or <see cref="DefaultDistrictId"/>.</summary>
    public string RootAreaId => Current().RootId;

    private string? Parent(string? areaId) => areaId is null ? null : directory.Get(EntityType.Area, areaId)?.ParentId;

    private Snapshot Current()
    {
        Snapshot? s = Volatile.Read(ref _snapshot);
        int areas = directory.IsInitialized ? directory.Count : 0;
        if (s is not null && s.DirectoryCount == areas)
        {
            return s;
        }

        // Rebuilt when the read model grew (a district was loaded after the first case); a race only builds twice.
        s = Build(areas);
        Volatile.Write(ref _snapshot, s);
        return s;
    }

    private Snapshot Build(int count)
    {
        if (!directory.IsInitialized)
        {
            return new Snapshot(0, [], DefaultDistrictId, 150);
        }

        var grids = new List<(string, Envelope, IPreparedGeometry)>();
        string root = DefaultDistrictId;
        foreach (EntitySummary a in directory.OfType(EntityType.Area))
        {
            if (a.Kind == nameof(AreaKind.District))
            {
                root = a.Id;
            }
            else if (a.Kind == nameof(AreaKind.Grid) && a.Shape is { Length: >= 3 } shape)
            {
                Coordinate[] ring = shape.Select(p => new Coordinate(p.Lon, p.Lat)).ToArray();
                if (!ring[0].Equals2D(ring[^1]))
                {
                    ring = [.. ring, ring[0]];
                }

                Polygon polygon = Factory.CreatePolygon(ring);
                grids.Add((a.Id, polygon.EnvelopeInternal, PreparedGeometryFactory.Prepare(polygon)));
            }
        }

        EntitySummary? anyCell = directory.OfType(EntityType.Cell).FirstOrDefault();
        double cellSize = anyCell?.Properties?.TryGetValue("sizeM", out object? size) == true && size is IConvertible c
            ? c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) : 100;
        return new Snapshot(count, grids.ToArray(), root, cellSize * 0.75);
    }

    private sealed record Snapshot(int DirectoryCount, (string Id, Envelope Box, IPreparedGeometry Shape)[] Grids, string RootId, double CellSearchM);
}
