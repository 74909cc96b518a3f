using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Scenarios.District;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace CityTwin.Scenarios.Loading;

/// <summary>Finds the governance grid (and its community and street) that contains a point.</summary>
public sealed class AreaLocator
{
    private readonly STRtree<(string GridId, IPreparedGeometry Shape)> _grids = new();
    private readonly Dictionary<string, string?> _parents;
    private readonly GeometryFactory _factory = new();

    /// <summary>Indexes the grids of a district.</summary>
    public AreaLocator(IEnumerable<Area> areas)
    {
        Area[] all = areas.ToArray();
        _parents = all.ToDictionary(a => a.Id, a => a.ParentId);
        foreach (Area grid in all.Where(a => a.Kind == AreaKind.Grid))
        {
            Polygon polygon = _factory.CreatePolygon(Ring(grid.Boundary));
            _grids.Insert(polygon.EnvelopeInternal, (grid.Id, PreparedGeometryFactory.Prepare(polygon)));
        }

        _grids.Build();
    }

    /// <summary>The grid, community and street containing <paramref name="point"/>; nulls outside every grid.</summary>
    public (string? Grid, string? Community, string? Street) Locate(GeoPoint point)
    {
        Point p = _factory.CreatePoint(new Coordinate(point.Lon, point.Lat));
        foreach ((string gridId, IPreparedGeometry shape) in _grids.Query(p.EnvelopeInternal))
        {
            if (shape.Covers(p))
            {
                return ParentsOf(gridId);
            }
        }

        return (null, null, null);
    }

    /// <summary>The grid itself with its community and street.</summary>
    public (string? Grid, string? Community, string? Street) ParentsOf(string gridId)
    {
        string? community = _parents.GetValueOrDefault(gridId);
        string? street = community is null ? null : _parents.GetValueOrDefault(community);
        return (gridId, community, street);
    }

    private static Coordinate[] Ring(GeoPoint[] boundary)
    {
        var coords = boundary.Select(b => new Coordinate(b.Lon, b.Lat)).ToList();
        if (!coords[0].Equals2D(coords[^1]))
        {
            coords.Add(coords[0]);
        }

        return [.. coords];
    }
}
