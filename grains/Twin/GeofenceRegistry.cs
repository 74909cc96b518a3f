using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The muck-truck geofences (construction sites, disposal points, checkpoints) of one silo's district, held as
/// NetTopologySuite geometries in the district's projected CRS so that "which fences hold this point" is a few metric
/// comparisons. Loaded once per district by <see cref="Load"/>; vehicle grains of every thread read it concurrently.
/// </summary>
public sealed class GeofenceRegistry(TwinDirectory directory, TimeProvider time)
{
    // Circles are drawn for maps as 32-gons (8 segments per quadrant); containment still uses the exact radius.
    private const int CircleQuadrantSegments = 8;

    // Replaced whole by Load, so a reader sees either the old set or the new one, never a half-built index.
    private volatile Snapshot? _snapshot;

    /// <summary>True once geofences were loaded (possibly an empty set).</summary>
    public bool IsLoaded => _snapshot is not null;

    /// <summary>Geofences loaded.</summary>
    public int Count => _snapshot?.ById.Count ?? 0;

    /// <summary>Every loaded geofence.</summary>
    public IReadOnlyCollection<GeofenceDefinition> All => _snapshot is { } s ? s.ById.Values.Select(f => f.Definition).ToArray() : [];

    /// <summary>A geofence by id, or null.</summary>
    public GeofenceDefinition? Get(string id) => _snapshot is { } s && s.ById.TryGetValue(id, out Fence? f) ? f.Definition : null;

    /// <summary>
    /// Replaces the geofences with <paramref name="geofences"/>, projected with <paramref name="projection"/> (the
    /// district's UTM zone), and upserts each one's summary (type Geofence, shape = boundary) into the read model.
    /// </summary>
    /// <exception cref="ArgumentException">A geofence has a duplicate id, a polygon with fewer than three distinct
    /// corners, or a circle without a positive radius; nothing is loaded then.</exception>
    public void Load(IEnumerable<GeofenceDefinition> geofences, UtmProjection projection)
    {
        ArgumentNullException.ThrowIfNull(geofences);
        ArgumentNullException.ThrowIfNull(projection);
        var byId = new Dictionary<string, Fence>(StringComparer.Ordinal);
        var tree = new STRtree<Fence>();
        var summaries = new List<EntitySummary>();
        DateTimeOffset now = time.GetUtcNow();
        foreach (GeofenceDefinition definition in geofences)
        {
            Fence fence = Project(definition, projection);
            if (!byId.TryAdd(definition.Id, fence))
            {
                throw new ArgumentException($"Geofence id '{definition.Id}' appears more than once.", nameof(geofences));
            }

            tree.Insert(fence.Bounds, fence);
            summaries.Add(Summarize(fence, projection, now));
        }

        // Built eagerly: STRtree builds lazily on the first query otherwise, which is not safe for concurrent readers.
        tree.Build();
        directory.Initialize(projection);
        _snapshot = new Snapshot(projection, byId, tree);
        foreach (EntitySummary summary in summaries)
        {
            directory.Upsert(summary, publish: false);
        }
    }

    /// <summary>The geofences holding <paramref name="point"/> (a point on a boundary is inside), ordered by id.</summary>
    public IReadOnlyList<GeofenceDefinition> Containing(GeoPoint point)
    {
        if (_snapshot is not { } s || s.ById.Count == 0)
        {
            return [];
        }

        ProjectedPoint p = s.Projection.Forward(point);
        var coordinate = new Coordinate(p.X, p.Y);
        List<GeofenceDefinition>? hits = null;
        foreach (Fence fence in s.Tree.Query(new Envelope(coordinate)))
        {
            if (fence.Contains(coordinate))
            {
                (hits ??= []).Add(fence.Definition);
            }
        }

        if (hits is null)
        {
            return [];
        }

        hits.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return hits;
    }

    private static Fence Project(GeofenceDefinition definition, UtmProjection projection)
    {
        if (string.IsNullOrWhiteSpace(definition.Id))
        {
            throw new ArgumentException("A geofence needs an id.", nameof(definition));
        }

        if (definition.Boundary is { } boundary)
        {
            int distinct = boundary.Distinct().Count();
            if (distinct < 3)
            {
                throw new ArgumentException($"Geofence '{definition.Id}' has a boundary with {distinct} distinct corners; a polygon needs three.", nameof(definition));
            }

            var polygon = (Polygon)projection.Forward(GeoGeometry.ToPolygon(boundary));
            return new Fence(definition, polygon, polygon.Shell.Coordinates, default, 0);
        }

        if (!double.IsFinite(definition.RadiusM) || definition.RadiusM <= 0)
        {
            throw new ArgumentException($"Geofence '{definition.Id}' has no boundary and a radius of {definition.RadiusM} m; a circle needs a positive radius.", nameof(definition));
        }

        ProjectedPoint centre = projection.Forward(definition.Centre);
        Geometry disc = projection.Forward(GeoGeometry.ToPoint(definition.Centre)).Buffer(definition.RadiusM, CircleQuadrantSegments);
        return new Fence(definition, disc, null, centre, definition.RadiusM);
    }

    private static EntitySummary Summarize(Fence fence, UtmProjection projection, DateTimeOffset now)
    {
        GeofenceDefinition d = fence.Definition;
        GeoPoint[] shape = d.Boundary ?? ((Polygon)projection.Inverse(fence.Area)).Shell.Coordinates.Select(c => new GeoPoint(c.X, c.Y)).ToArray();
        var properties = new Dictionary<string, object> { ["geometry"] = d.Boundary is null ? "circle" : "polygon" };
        if (d.Boundary is null)
        {
            properties["radiusM"] = d.RadiusM;
        }

        return new EntitySummary(d.Id, EntityType.Geofence, d.Kind.ToString(), d.Name, "active", d.Centre, now)
        {
            Shape = shape,
            Properties = properties,
        };
    }

    private sealed record Snapshot(UtmProjection Projection, Dictionary<string, Fence> ById, STRtree<Fence> Tree);

    /// <summary>
    /// One projected fence. Polygons are tested against their shell's coordinates (a stateless ray-crossing test, safe
    /// for concurrent readers); circles against the exact radius rather than the drawn polygon.
    /// </summary>
    private sealed record Fence(GeofenceDefinition Definition, Geometry Area, Coordinate[]? Shell, ProjectedPoint Centre, double RadiusM)
    {
        /// <summary>The exact bounds: for a circle the radius box, which the drawn polygon may fall short of.</summary>
        public Envelope Bounds => Shell is not null
            ? Area.EnvelopeInternal
            : new Envelope(Centre.X - RadiusM, Centre.X + RadiusM, Centre.Y - RadiusM, Centre.Y + RadiusM);

        public bool Contains(Coordinate p) => Shell is not null
            ? RayCrossingCounter.LocatePointInRing(p, Shell) != Location.Exterior
            : Centre.DistanceTo(new ProjectedPoint(p.X, p.Y)) <= RadiusM;
    }
}
