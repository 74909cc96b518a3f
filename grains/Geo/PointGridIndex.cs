using System.Buffers;
using System.Runtime.InteropServices;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Geo;

/// <summary>
/// A spatial index of live point positions (sensors, buildings, moving vehicles) hashed into uniform square
/// cells in a UTM projection, answering near (radius in metres), box and polygon queries.
/// Thread-safe: queries share a read lock and run concurrently; updates take the write lock briefly.
/// </summary>
/// <remarks>
/// A cell hash rather than NetTopologySuite's STRtree because an STRtree cannot be changed once built, and
/// vehicles move every few seconds. Choose the cell size near the typical query radius: a 500 m query over
/// 250 m cells visits 25 cells. Memory is about 48 bytes per point plus the key.
/// </remarks>
public sealed class PointGridIndex<TKey> : IDisposable
    where TKey : notnull
{
    // Up to this many cells in a radius query's square, they are visited nearest first (a 500 m query over 250 m cells
    // spans 25-36); beyond it they are visited row by row.
    private const int MaxOrderedCells = 4096;

    private readonly UtmProjection _projection;
    private readonly double _cellSize;
    private readonly Dictionary<long, Cell> _cells = new();
    private readonly Dictionary<TKey, Slot> _slots;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Creates an empty index in <paramref name="projection"/> with square cells of <paramref name="cellSizeMetres"/>.</summary>
    public PointGridIndex(UtmProjection projection, double cellSizeMetres = 250, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (!(cellSizeMetres >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(cellSizeMetres), cellSizeMetres, "Cell size must be at least 1 m.");
        }

        _projection = projection;
        _cellSize = cellSizeMetres;
        _slots = new Dictionary<TKey, Slot>(comparer);
    }

    /// <summary>The projection whose metres the index works in.</summary>
    public UtmProjection Projection => _projection;

    /// <summary>Edge length of the hash cells in metres.</summary>
    public double CellSizeMetres => _cellSize;

    /// <summary>Number of indexed keys.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _slots.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Inserts <paramref name="key"/> at <paramref name="position"/>, or moves it there if already indexed.</summary>
    public void Upsert(TKey key, GeoPoint position)
    {
        ProjectedPoint projected = _projection.Forward(position);
        _lock.EnterWriteLock();
        try
        {
            UpsertLocked(key, position, projected);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Inserts or moves many keys under one write lock; <paramref name="keys"/>[i] goes to <paramref name="positions"/>[i].</summary>
    public void UpsertMany(ReadOnlySpan<TKey> keys, ReadOnlySpan<GeoPoint> positions)
    {
        if (keys.Length != positions.Length)
        {
            throw new ArgumentException($"{keys.Length} keys but {positions.Length} positions.", nameof(positions));
        }

        // Project outside the lock: it is the expensive part and needs no shared state.
        ProjectedPoint[] projected = new ProjectedPoint[positions.Length];
        _projection.Forward(positions, projected);
        _lock.EnterWriteLock();
        try
        {
            _slots.EnsureCapacity(_slots.Count + keys.Length);
            for (int i = 0; i < keys.Length; i++)
            {
                UpsertLocked(keys[i], positions[i], projected[i]);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes <paramref name="key"/>; returns false when it was not indexed.</summary>
    public bool Remove(TKey key)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(key, out Slot slot))
            {
                return false;
            }

            RemoveFromCell(slot);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Gets the current position of <paramref name="key"/>.</summary>
    public bool TryGetPosition(TKey key, out GeoPoint position)
    {
        _lock.EnterReadLock();
        try
        {
            if (_slots.TryGetValue(key, out Slot slot))
            {
                position = slot.Cell.Entries[slot.Index].Position;
                return true;
            }

            position = default;
            return false;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Keys within <paramref name="radiusMetres"/> of <paramref name="centre"/> (UTM distance), in no particular order.</summary>
    public List<SpatialHit<TKey>> Near(GeoPoint centre, double radiusMetres)
    {
        var results = new List<SpatialHit<TKey>>();
        Near(centre, radiusMetres, results);
        return results;
    }

    /// <summary>Clears <paramref name="results"/> and fills it with the keys within the radius; returns the count.</summary>
    public int Near(GeoPoint centre, double radiusMetres, List<SpatialHit<TKey>> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        results.Clear();
        var collector = new HitCollector(results);
        Near(centre, radiusMetres, ref collector);
        return results.Count;
    }

    /// <summary>
    /// Streams the keys within <paramref name="radiusMetres"/> of <paramref name="centre"/> to <paramref name="visitor"/>,
    /// with their distances. Cells are visited nearest first (cells wholly outside the circle are skipped), so hits come
    /// roughly nearest first: a visitor keeping the nearest page fills it early and can decide most later hits on their
    /// distance alone. Within a cell the order is arbitrary.
    /// </summary>
    public void Near<TVisitor>(GeoPoint centre, double radiusMetres, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TKey>
    {
        if (!(radiusMetres >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMetres), radiusMetres, "Radius must be a non-negative number of metres.");
        }

        ProjectedPoint c = _projection.Forward(centre);
        double r2 = radiusMetres * radiusMetres;
        (long minX, long minY) = CellOf(c.X - radiusMetres, c.Y - radiusMetres);
        (long maxX, long maxY) = CellOf(c.X + radiusMetres, c.Y + radiusMetres);
        long span = (maxX - minX + 1) * (maxY - minY + 1);
        CellDistance[]? rented = span <= MaxOrderedCells ? ArrayPool<CellDistance>.Shared.Rent((int)span) : null;
        _lock.EnterReadLock();
        try
        {
            if (rented is null)
            {
                // A radius spanning thousands of cells: ordering them would cost more than it saves.
                for (long ix = minX; ix <= maxX; ix++)
                {
                    for (long iy = minY; iy <= maxY; iy++)
                    {
                        if (_cells.TryGetValue(Pack(ix, iy), out Cell? cell))
                        {
                            ScanCircle(cell, c, r2, ref visitor);
                        }
                    }
                }

                return;
            }

            int count = 0;
            for (long ix = minX; ix <= maxX; ix++)
            {
                for (long iy = minY; iy <= maxY; iy++)
                {
                    // Squared distance from the centre to the nearest point of the cell's square.
                    double dx = Math.Max(0, Math.Max((ix * _cellSize) - c.X, c.X - ((ix + 1) * _cellSize)));
                    double dy = Math.Max(0, Math.Max((iy * _cellSize) - c.Y, c.Y - ((iy + 1) * _cellSize)));
                    double d2 = (dx * dx) + (dy * dy);
                    if (d2 <= r2 && _cells.TryGetValue(Pack(ix, iy), out Cell? cell))
                    {
                        rented[count++] = new CellDistance(d2, cell);
                    }
                }
            }

            Span<CellDistance> cells = rented.AsSpan(0, count);
            cells.Sort(static (a, b) => a.Distance2.CompareTo(b.Distance2));
            foreach (CellDistance cell in cells)
            {
                ScanCircle(cell.Cell, c, r2, ref visitor);
            }
        }
        finally
        {
            _lock.ExitReadLock();
            if (rented is not null)
            {
                ArrayPool<CellDistance>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    private static void ScanCircle<TVisitor>(Cell cell, ProjectedPoint c, double r2, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TKey>
    {
        ReadOnlySpan<Entry> entries = cell.Entries.AsSpan(0, cell.Count);
        foreach (ref readonly Entry e in entries)
        {
            double dx = e.X - c.X;
            double dy = e.Y - c.Y;
            double d2 = (dx * dx) + (dy * dy);
            if (d2 <= r2)
            {
                visitor.Visit(e.Key, e.Position, Math.Sqrt(d2));
            }
        }
    }

    /// <summary>Up to <paramref name="count"/> keys nearest to <paramref name="centre"/> within <paramref name="maxRadiusMetres"/>, nearest first.</summary>
    public List<SpatialHit<TKey>> Nearest(GeoPoint centre, int count, double maxRadiusMetres)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        List<SpatialHit<TKey>> hits = Near(centre, maxRadiusMetres);
        hits.Sort(static (a, b) => a.DistanceMetres.CompareTo(b.DistanceMetres));
        if (hits.Count > count)
        {
            hits.RemoveRange(count, hits.Count - count);
        }

        return hits;
    }

    /// <summary>Keys whose WGS84 position lies inside <paramref name="box"/> (edges included).</summary>
    public List<SpatialEntry<TKey>> InBox(GeoBox box)
    {
        var collector = new EntryCollector([]);
        InBox(box, ref collector);
        return collector.Results;
    }

    /// <summary>Streams the keys whose WGS84 position lies inside <paramref name="box"/> (edges included) to <paramref name="visitor"/>.</summary>
    public void InBox<TVisitor>(GeoBox box, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TKey>
    {
        if (box.MinLon > box.MaxLon || box.MinLat > box.MaxLat)
        {
            return;
        }

        // A lon/lat box is not a rectangle in UTM; its edges bow. Sample the edges densely, take the projected
        // envelope and pad it, then test candidates exactly against the box in degrees.
        const int samplesPerEdge = 16;
        Span<GeoPoint> ring = stackalloc GeoPoint[samplesPerEdge * 4];
        for (int i = 0; i < samplesPerEdge; i++)
        {
            double t = i / (double)samplesPerEdge;
            double lon = box.MinLon + (t * (box.MaxLon - box.MinLon));
            double lat = box.MinLat + (t * (box.MaxLat - box.MinLat));
            ring[i] = new GeoPoint(lon, box.MinLat);
            ring[samplesPerEdge + i] = new GeoPoint(box.MaxLon, lat);
            ring[(2 * samplesPerEdge) + i] = new GeoPoint(box.MaxLon - (lon - box.MinLon), box.MaxLat);
            ring[(3 * samplesPerEdge) + i] = new GeoPoint(box.MinLon, box.MaxLat - (lat - box.MinLat));
        }

        Span<ProjectedPoint> projected = stackalloc ProjectedPoint[ring.Length];
        _projection.Forward(ring, projected);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (ProjectedPoint p in projected)
        {
            minX = Math.Min(minX, p.X);
            minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X);
            maxY = Math.Max(maxY, p.Y);
        }

        double pad = 1 + (0.01 * Math.Max(maxX - minX, maxY - minY));
        ScanEnvelope(minX - pad, minY - pad, maxX + pad, maxY + pad, ref visitor, (in Entry e) => box.Contains(e.Position));
    }

    /// <summary>Keys inside or on the boundary of a WGS84 polygon or multipolygon, tested in UTM metres.</summary>
    public List<SpatialEntry<TKey>> Within(Geometry polygon)
    {
        var collector = new EntryCollector([]);
        Within(polygon, ref collector);
        return collector.Results;
    }

    /// <summary>Streams the keys inside or on the boundary of a WGS84 polygon or multipolygon to <paramref name="visitor"/>.</summary>
    public void Within<TVisitor>(Geometry polygon, ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TKey>
    {
        ArgumentNullException.ThrowIfNull(polygon);
        if (polygon is not (Polygon or MultiPolygon))
        {
            throw new ArgumentException($"Within needs a Polygon or MultiPolygon, not a {polygon.GeometryType}.", nameof(polygon));
        }

        if (polygon.IsEmpty)
        {
            return;
        }

        Geometry projected = _projection.Forward(polygon);
        Envelope env = projected.EnvelopeInternal;
        var locator = new IndexedPointInAreaLocator(projected);
        ScanEnvelope(env.MinX, env.MinY, env.MaxX, env.MaxY, ref visitor,
            (in Entry e) => locator.Locate(new Coordinate(e.X, e.Y)) != Location.Exterior);
    }

    /// <summary>Streams every indexed key to <paramref name="visitor"/>, in no particular order.</summary>
    public void ForEach<TVisitor>(ref TVisitor visitor)
        where TVisitor : ISpatialVisitor<TKey>
    {
        _lock.EnterReadLock();
        try
        {
            foreach (Cell cell in _cells.Values)
            {
                foreach (ref readonly Entry e in cell.Entries.AsSpan(0, cell.Count))
                {
                    visitor.Visit(e.Key, e.Position, double.NaN);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Releases the reader/writer lock.</summary>
    public void Dispose() => _lock.Dispose();

    private static long Pack(long ix, long iy) => (ix << 32) ^ (iy & 0xFFFF_FFFFL);

    private (long X, long Y) CellOf(double x, double y) =>
        ((long)Math.Floor(x / _cellSize), (long)Math.Floor(y / _cellSize));

    private void ScanEnvelope<TVisitor>(double minX, double minY, double maxX, double maxY, ref TVisitor visitor, EntryPredicate accept)
        where TVisitor : ISpatialVisitor<TKey>
    {
        (long cx0, long cy0) = CellOf(minX, minY);
        (long cx1, long cy1) = CellOf(maxX, maxY);
        _lock.EnterReadLock();
        try
        {
            // A huge envelope over a sparse index: walking the occupied cells is cheaper than the empty range.
            long rangeCells = (cx1 - cx0 + 1) * (cy1 - cy0 + 1);
            if (rangeCells > _cells.Count)
            {
                foreach (KeyValuePair<long, Cell> pair in _cells)
                {
                    ScanCell(pair.Value, minX, minY, maxX, maxY, ref visitor, accept);
                }

                return;
            }

            for (long ix = cx0; ix <= cx1; ix++)
            {
                for (long iy = cy0; iy <= cy1; iy++)
                {
                    if (_cells.TryGetValue(Pack(ix, iy), out Cell? cell))
                    {
                        ScanCell(cell, minX, minY, maxX, maxY, ref visitor, accept);
                    }
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static void ScanCell<TVisitor>(Cell cell, double minX, double minY, double maxX, double maxY, ref TVisitor visitor, EntryPredicate accept)
        where TVisitor : ISpatialVisitor<TKey>
    {
        ReadOnlySpan<Entry> entries = cell.Entries.AsSpan(0, cell.Count);
        foreach (ref readonly Entry e in entries)
        {
            if (e.X >= minX && e.X <= maxX && e.Y >= minY && e.Y <= maxY && accept(in e))
            {
                visitor.Visit(e.Key, e.Position, double.NaN);
            }
        }
    }

    private void UpsertLocked(TKey key, GeoPoint position, ProjectedPoint projected)
    {
        (long ix, long iy) = CellOf(projected.X, projected.Y);
        long cellKey = Pack(ix, iy);
        ref Slot slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, key, out bool exists);
        if (exists)
        {
            if (slot.CellKey == cellKey)
            {
                // Moved within its cell: update in place, the common case for a vehicle's next fix.
                slot.Cell.Entries[slot.Index] = new Entry(key, projected.X, projected.Y, position);
                return;
            }

            RemoveFromCell(slot);
        }

        if (!_cells.TryGetValue(cellKey, out Cell? cell))
        {
            cell = new Cell();
            _cells.Add(cellKey, cell);
        }

        // Re-fetch the slot reference: RemoveFromCell may have written to _slots and invalidated it.
        slot = ref CollectionsMarshal.GetValueRefOrNullRef(_slots, key);
        slot = new Slot(cell, cellKey, cell.Add(new Entry(key, projected.X, projected.Y, position)));
    }

    private void RemoveFromCell(Slot slot)
    {
        Cell cell = slot.Cell;
        int last = cell.Count - 1;
        if (slot.Index != last)
        {
            // Swap-remove keeps the cell dense; the moved entry's slot must follow it.
            Entry moved = cell.Entries[last];
            cell.Entries[slot.Index] = moved;
            CollectionsMarshal.GetValueRefOrNullRef(_slots, moved.Key).Index = slot.Index;
        }

        cell.Entries[last] = default;
        cell.Count = last;
        if (last == 0)
        {
            _cells.Remove(slot.CellKey);
        }
    }

    private delegate bool EntryPredicate(in Entry entry);

    private readonly struct HitCollector(List<SpatialHit<TKey>> results) : ISpatialVisitor<TKey>
    {
        public void Visit(TKey key, GeoPoint position, double distanceMetres) => results.Add(new SpatialHit<TKey>(key, position, distanceMetres));
    }

    private readonly struct EntryCollector(List<SpatialEntry<TKey>> results) : ISpatialVisitor<TKey>
    {
        public List<SpatialEntry<TKey>> Results => results;

        public void Visit(TKey key, GeoPoint position, double distanceMetres) => results.Add(new SpatialEntry<TKey>(key, position));
    }

    private readonly record struct Entry(TKey Key, double X, double Y, GeoPoint Position);

    /// <summary>An occupied cell and the squared distance from a query's centre to its nearest point.</summary>
    private readonly record struct CellDistance(double Distance2, Cell Cell);

    private struct Slot(Cell cell, long cellKey, int index)
    {
        public readonly Cell Cell = cell;
        public readonly long CellKey = cellKey;
        public int Index = index;
    }

    private sealed class Cell
    {
        public Entry[] Entries = new Entry[8];
        public int Count;

        public int Add(Entry entry)
        {
            if (Count == Entries.Length)
            {
                Array.Resize(ref Entries, Entries.Length * 2);
            }

            Entries[Count] = entry;
            return Count++;
        }
    }
}
