using System.Collections.Concurrent;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Silo.Streams;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The live read model of one silo's twin: every entity's <see cref="EntitySummary"/>, a spatial index per entity
/// type, and membership (sensors of a building, buildings of a cell, children of an area). Grains update it inside
/// the turn that changed them, so a query that follows an acknowledged change sees it (no lagging index).
/// Changes are also published on the "entity-changes" stream for live pushes.
/// </summary>
public sealed class TwinDirectory(IStreamProvider streams)
{
    private readonly ConcurrentDictionary<string, EntitySummary> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<EntityType, PointGridIndex<string>> _indexes = new();
    private UtmProjection? _projection;

    /// <summary>The district's projected CRS; set once by <see cref="Initialize"/>.</summary>
    public UtmProjection Projection => _projection ?? throw new InvalidOperationException("The twin has no district loaded yet.");

    /// <summary>True once a district's projection is set.</summary>
    public bool IsInitialized => _projection is not null;

    /// <summary>Entities known.</summary>
    public int Count => _byId.Count;

    /// <summary>Sets the district's projection (the UTM zone of its centre).</summary>
    public void Initialize(UtmProjection projection) => _projection ??= projection;

    /// <summary>Adds or replaces an entity's summary and indexes it; publishes the change.</summary>
    public void Upsert(EntitySummary summary, bool publish = true)
    {
        // Only the entity's own grain upserts its id, one turn at a time, so read-then-write cannot race.
        _byId.TryGetValue(summary.Id, out EntitySummary? previous);
        _byId[summary.Id] = summary;
        if (previous is null || previous.Position != summary.Position)
        {
            Index(summary.Type).Upsert(summary.Id, summary.Position);
        }

        if (previous is null || previous.BuildingId != summary.BuildingId || previous.CellId != summary.CellId || previous.ParentId != summary.ParentId)
        {
            Link("building", summary.BuildingId, previous?.BuildingId, summary.Id);
            Link("cell", summary.CellId, previous?.CellId, summary.Id);
            Link("parent", summary.ParentId, previous?.ParentId, summary.Id);
        }

        if (publish)
        {
            _ = streams.GetStream<EntitySummary>(StreamId.Create(TwinStreams.EntityChanges, summary.Id)).OnNextAsync(summary);
        }
    }

    /// <summary>An entity's summary, or null.</summary>
    public EntitySummary? Get(string id) => _byId.GetValueOrDefault(id);

    /// <summary>An entity's summary if it has the given type.</summary>
    public EntitySummary? Get(EntityType type, string id) => _byId.TryGetValue(id, out EntitySummary? s) && s.Type == type ? s : null;

    /// <summary>Every entity of a type (unordered).</summary>
    public IEnumerable<EntitySummary> OfType(EntityType type) => _byId.Values.Where(s => s.Type == type);

    /// <summary>Ids of entities linked to <paramref name="ownerId"/>: "building" (its sensors), "cell" (what lies in it), "parent" (child areas).</summary>
    public IReadOnlyCollection<string> Members(string relation, string ownerId) =>
        _members.TryGetValue($"{relation}:{ownerId}", out ConcurrentDictionary<string, byte>? set) ? set.Keys.ToArray() : [];

    /// <summary>Entities of a type within <paramref name="radiusM"/> metres of a point, nearest first.</summary>
    public List<SpatialHit<string>> Near(EntityType type, GeoPoint centre, double radiusM) => Index(type).Near(centre, radiusM);

    /// <summary>Entities of a type inside a lon/lat box.</summary>
    public List<SpatialEntry<string>> InBox(EntityType type, GeoBox box) => Index(type).InBox(box);

    /// <summary>Entities of a type inside a lon/lat polygon.</summary>
    public List<SpatialEntry<string>> Within(EntityType type, Geometry polygon) => Index(type).Within(polygon);

    private PointGridIndex<string> Index(EntityType type) =>
        _indexes.GetOrAdd(type, static (_, p) => new PointGridIndex<string>(p.Projection, 250, StringComparer.Ordinal), this);

    private void Link(string relation, string? owner, string? previousOwner, string id)
    {
        if (previousOwner is not null && previousOwner != owner && _members.TryGetValue($"{relation}:{previousOwner}", out ConcurrentDictionary<string, byte>? old))
        {
            old.TryRemove(id, out _);
        }

        if (owner is not null)
        {
            _members.GetOrAdd($"{relation}:{owner}", static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(id, 0);
        }
    }
}
