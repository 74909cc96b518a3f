using System.Collections.Concurrent;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Twin;

/// <summary>
/// The live read model of one silo's twin: every entity's <see cref="EntitySummary"/> (held in a <see cref="TwinEntry"/>),
/// a spatial index of entries per entity type, and membership (sensors of a building, buildings of a cell, children of an
/// area). Grains update it inside the turn that changed them, so a query that follows an acknowledged change sees it (no
/// lagging index). Changes are also published on the entity-changes feed of <see cref="TwinFeeds"/> for live pushes.
/// </summary>
public sealed class TwinDirectory(TwinFeeds feeds)
{
    private const string BuildingRelation = "building";
    private const string CellRelation = "cell";
    private const string ParentRelation = "parent";

    private readonly ConcurrentDictionary<string, TwinEntry> _byId = new(StringComparer.Ordinal);

    // Keyed by owner id; one compact list per relation (an owner normally has one). A ConcurrentDictionary per owner cost
    // about 0.5 KB plus 48 B per member; an array of entries costs 8 B per member.
    private readonly ConcurrentDictionary<string, MemberList> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<EntityType, PointGridIndex<TwinEntry>> _indexes = new();
    private UtmProjection? _projection;

    /// <summary>The district's projected CRS; set once by <see cref="Initialize"/>.</summary>
    public UtmProjection Projection => _projection ?? throw new InvalidOperationException("The twin has no district loaded yet.");

    /// <summary>True once a district's projection is set.</summary>
    public bool IsInitialized => _projection is not null;

    /// <summary>Entities known.</summary>
    public int Count => _byId.Count;

    /// <summary>
    /// Sets the district's projection (the UTM zone of its centre) and indexes the entities upserted before it: on a silo
    /// joining a cluster, grains the other silos place there may change before this silo's read model is restored.
    /// </summary>
    public void Initialize(UtmProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (Interlocked.CompareExchange(ref _projection, projection, null) is null)
        {
            foreach (TwinEntry entry in _byId.Values)
            {
                Index(entry.Summary.Type).Upsert(entry, entry.Summary.Position);
            }
        }
    }

    /// <summary>Adds or replaces an entity's summary and indexes it; publishes the change.</summary>
    public void Upsert(EntitySummary summary, bool publish = true)
    {
        ArgumentNullException.ThrowIfNull(summary);

        // Only the entity's own grain upserts its id, one turn at a time, so read-then-write cannot race.
        bool indexed = IsInitialized;
        if (_byId.TryGetValue(summary.Id, out TwinEntry? entry))
        {
            EntitySummary previous = entry.Summary;
            entry.Set(summary);
            if (indexed && previous.Type != summary.Type)
            {
                Index(previous.Type).Remove(entry);
                Index(summary.Type).Upsert(entry, summary.Position);
            }
            else if (indexed && previous.Position != summary.Position)
            {
                Index(summary.Type).Upsert(entry, summary.Position);
            }

            // By value: a summary received from another silo carries copies of the same ids.
            if (!string.Equals(previous.BuildingId, summary.BuildingId, StringComparison.Ordinal) || !string.Equals(previous.CellId, summary.CellId, StringComparison.Ordinal)
                || !string.Equals(previous.ParentId, summary.ParentId, StringComparison.Ordinal))
            {
                Link(BuildingRelation, summary.BuildingId, previous.BuildingId, entry);
                Link(CellRelation, summary.CellId, previous.CellId, entry);
                Link(ParentRelation, summary.ParentId, previous.ParentId, entry);
            }
        }
        else
        {
            entry = new TwinEntry(summary);
            _byId[summary.Id] = entry;
            if (indexed)
            {
                Index(summary.Type).Upsert(entry, summary.Position);
            }

            Link(BuildingRelation, summary.BuildingId, null, entry);
            Link(CellRelation, summary.CellId, null, entry);
            Link(ParentRelation, summary.ParentId, null, entry);
        }

        if (!indexed && IsInitialized)
        {
            // Initialize ran meanwhile and may have missed this entry.
            Index(summary.Type).Upsert(entry, summary.Position);
        }

        if (publish)
        {
            feeds.EntityChanges.Publish(summary);
        }
    }

    /// <summary>An entity's summary, or null.</summary>
    public EntitySummary? Get(string id) => _byId.TryGetValue(id, out TwinEntry? e) ? e.Summary : null;

    /// <summary>An entity's summary if it has the given type.</summary>
    public EntitySummary? Get(EntityType type, string id) => Get(id) is { } s && s.Type == type ? s : null;

    /// <summary>Every entity of a type (unordered), read from that type's index rather than a walk over every entity.</summary>
    public IEnumerable<EntitySummary> OfType(EntityType type)
    {
        var summaries = new IdCollector<EntitySummary>([], static (e, _, _) => e.Summary);
        Index(type).ForEach(ref summaries);
        return summaries.Results;
    }

    /// <summary>Ids of entities linked to <paramref name="ownerId"/>: "building" (its sensors), "cell" (what lies in it), "parent" (child areas).</summary>
    public IReadOnlyCollection<string> Members(string relation, string ownerId)
    {
        if (!_members.TryGetValue(ownerId, out MemberList? head))
        {
            return [];
        }

        lock (head)
        {
            for (MemberList? m = head; m is not null; m = m.Next)
            {
                if (m.Relation == relation)
                {
                    var ids = new string[m.Count];
                    for (int i = 0; i < ids.Length; i++)
                    {
                        ids[i] = m.Items[i].Summary.Id;
                    }

                    return ids;
                }
            }
        }

        return [];
    }

    /// <summary>
    /// Entities of a type within <paramref name="radiusM"/> metres of a point, nearest first, ties by id (dispatch and place lookup
    /// rely on the order; the entity query streams hits through a visitor instead).
    /// </summary>
    public List<SpatialHit<string>> Near(EntityType type, GeoPoint centre, double radiusM)
    {
        var ids = new IdCollector<SpatialHit<string>>([], static (e, p, d) => new SpatialHit<string>(e.Summary.Id, p, d));
        Index(type).Near(centre, radiusM, ref ids);
        // Ties go by id: the index holds entities in no fixed order, and callers take the first hit.
        ids.Results.Sort(static (a, b) => a.DistanceMetres != b.DistanceMetres ? a.DistanceMetres.CompareTo(b.DistanceMetres) : string.CompareOrdinal(a.Key, b.Key));
        return ids.Results;
    }

    /// <summary>Entities of a type inside a lon/lat box.</summary>
    public List<SpatialEntry<string>> InBox(EntityType type, GeoBox box)
    {
        var ids = new IdCollector<SpatialEntry<string>>([], static (e, p, _) => new SpatialEntry<string>(e.Summary.Id, p));
        Index(type).InBox(box, ref ids);
        return ids.Results;
    }

    /// <summary>Entities of a type inside a lon/lat polygon.</summary>
    public List<SpatialEntry<string>> Within(EntityType type, Geometry polygon)
    {
        var ids = new IdCollector<SpatialEntry<string>>([], static (e, p, _) => new SpatialEntry<string>(e.Summary.Id, p));
        Index(type).Within(polygon, ref ids);
        return ids.Results;
    }

    /// <summary>Streams the entries of a type within <paramref name="radiusM"/> metres of a point to <paramref name="visitor"/>, with distances.</summary>
    public void Near<TVisitor>(EntityType type, GeoPoint centre, double radiusM, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TwinEntry> => Index(type).Near(centre, radiusM, ref visitor);

    /// <summary>Streams the entries of a type inside a lon/lat box to <paramref name="visitor"/>.</summary>
    public void InBox<TVisitor>(EntityType type, GeoBox box, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TwinEntry> => Index(type).InBox(box, ref visitor);

    /// <summary>Streams the entries of a type inside a lon/lat polygon to <paramref name="visitor"/>.</summary>
    public void Within<TVisitor>(EntityType type, Geometry polygon, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TwinEntry> => Index(type).Within(polygon, ref visitor);

    /// <summary>Streams every entry of a type to <paramref name="visitor"/>.</summary>
    public void ForEach<TVisitor>(EntityType type, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TwinEntry> => Index(type).ForEach(ref visitor);

    private PointGridIndex<TwinEntry> Index(EntityType type) =>
        _indexes.GetOrAdd(type, static (_, p) => new PointGridIndex<TwinEntry>(p.Projection, 250, ReferenceEqualityComparer.Instance), this);

    private void Link(string relation, string? owner, string? previousOwner, TwinEntry entry)
    {
        if (owner == previousOwner)
        {
            return;
        }

        if (previousOwner is not null && _members.TryGetValue(previousOwner, out MemberList? old))
        {
            lock (old)
            {
                old.Find(relation)?.Remove(entry);
            }
        }

        if (owner is not null)
        {
            MemberList head = _members.GetOrAdd(owner, static (_, r) => new MemberList(r), relation);
            lock (head)
            {
                MemberList? list = head.Find(relation);
                if (list is null)
                {
                    list = new MemberList(relation) { Next = head.Next };
                    head.Next = list;
                }

                list.Add(entry);
            }
        }
    }

    /// <summary>The entries linked to one owner by one relation; guarded by a lock on the owner's first list.</summary>
    private sealed class MemberList(string relation)
    {
        public readonly string Relation = relation;
        public TwinEntry[] Items = [];
        public int Count;
        public MemberList? Next;

        public MemberList? Find(string relation)
        {
            for (MemberList? m = this; m is not null; m = m.Next)
            {
                if (m.Relation == relation)
                {
                    return m;
                }
            }

            return null;
        }

        public void Add(TwinEntry entry)
        {
            // No duplicate check: an entry is added when it appears or changes owner, never twice (see Upsert).
            if (Count == Items.Length)
            {
                Array.Resize(ref Items, Math.Max(4, Count * 2));
            }

            Items[Count++] = entry;
        }

        public void Remove(TwinEntry entry)
        {
            int at = Array.IndexOf(Items, entry, 0, Count);
            if (at >= 0)
            {
                Items[at] = Items[--Count];
                Items[Count] = null!;
            }
        }
    }

    private readonly struct IdCollector<T>(List<T> results, Func<TwinEntry, GeoPoint, double, T> map) : ISpatialVisitor<TwinEntry>
    {
        public List<T> Results => results;

        public void Visit(TwinEntry key, GeoPoint position, double distanceMetres) => results.Add(map(key, position, distanceMetres));
    }
}
