using System.Buffers;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using NetTopologySuite.Geometries;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// A validated GET /api/entities request: entity types, at most one of a box, a radius around a point or a polygon,
/// attribute filters, and the page. <see cref="WriteTo"/> answers it from the read model as a GeoJSON FeatureCollection.
/// </summary>
public sealed record EntityQuery(IReadOnlyList<EntityType> Types, GeoBox? Box, GeoPoint? Near, double RadiusM, Geometry? Within,
    IReadOnlyList<AttributeFilter> Filters, int Page, int PageSize)
{
    /// <summary>
    /// Streams the matches from the spatial index: each is filtered on the summary its index entry holds (no lookup by
    /// id), counted, and offered to a bounded heap of the first page*pageSize in order (nearest first for radius queries,
    /// else by id), so a 500 m query over ~10,000 sensors allocates only the page.
    /// </summary>
    public void WriteTo(TwinDirectory directory, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(directory);
        long wanted = (long)Page * PageSize;
        var collector = new PageCollector(Filters, (int)Math.Min(wanted, int.MaxValue), Near is not null);
        foreach (EntityType type in Types)
        {
            if (Box is { } box)
            {
                directory.InBox(type, box, ref collector);
            }
            else if (Near is { } centre)
            {
                directory.Near(type, centre, RadiusM, ref collector);
            }
            else if (Within is { } polygon)
            {
                directory.Within(type, polygon, ref collector);
            }
            else
            {
                directory.ForEach(type, ref collector);
            }
        }

        Match[] first = collector.InOrder();
        int skip = (int)Math.Min((long)(Page - 1) * PageSize, first.Length);
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteNumber("numberMatched", collector.Total);
        w.WriteNumber("numberReturned", first.Length - skip);
        w.WriteNumber("page", Page);
        w.WriteNumber("pageSize", PageSize);
        w.WriteStartArray("features");
        for (int i = skip; i < first.Length; i++)
        {
            EntityEndpoints.WriteFeature(w, first[i].Summary, Near is null ? null : first[i].Distance, null);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One match: the summary as it was when visited, and its distance (NaN unless a radius query).</summary>
    private readonly record struct Match(EntitySummary Summary, double Distance);

    /// <summary>Counts every match and keeps the first <c>limit</c> in order with a max-heap of the best seen so far.</summary>
    private struct PageCollector : ISpatialVisitor<TwinEntry>
    {
        private readonly IReadOnlyList<AttributeFilter> _filters;
        private readonly int _limit;
        private readonly WorstFirst _worstFirst;
        private readonly PriorityQueue<Match, Match> _heap;
        private readonly bool _byDistance;
        private double _worstKeptDistance = double.PositiveInfinity;

        public PageCollector(IReadOnlyList<AttributeFilter> filters, int limit, bool byDistance)
        {
            _filters = filters;
            _byDistance = byDistance;
            _limit = limit;
            _worstFirst = byDistance ? WorstFirst.ByDistance : WorstFirst.ById;
            _heap = new PriorityQueue<Match, Match>(Math.Min(limit, 1024), _worstFirst);
        }

        public int Total { get; private set; }

        public void Visit(TwinEntry key, GeoPoint position, double distanceMetres)
        {
            if (_filters.Count == 0 && distanceMetres > _worstKeptDistance)
            {
                // Counted but farther than the whole page kept so far: decided without touching the entry's summary,
                // which for most of a radius query's hits would be a cache miss.
                Total++;
                return;
            }

            EntitySummary summary = key.Summary;
            for (int i = 0; i < _filters.Count; i++)
            {
                if (!_filters[i].Matches(summary))
                {
                    return;
                }
            }

            Total++;
            var match = new Match(summary, distanceMetres);
            if (_heap.Count < _limit)
            {
                _heap.Enqueue(match, match);
            }
            else if (_limit > 0 && _worstFirst.Compare(match, _heap.Peek()) > 0)
            {
                // Better than the worst kept (the worst-first comparer ranks better matches higher).
                _heap.EnqueueDequeue(match, match);
            }
            else
            {
                return;
            }

            if (_byDistance && _heap.Count == _limit)
            {
                _worstKeptDistance = _heap.Peek().Distance;
            }
        }

        public readonly Match[] InOrder()
        {
            var best = new Match[_heap.Count];
            for (int i = best.Length - 1; i >= 0; i--)
            {
                best[i] = _heap.Dequeue();
            }

            return best;
        }
    }

    /// <summary>Orders matches worst first, so the priority queue (a min-heap) keeps the worst of the page at its root.</summary>
    private sealed class WorstFirst(bool byDistance) : IComparer<Match>
    {
        public static readonly WorstFirst ByDistance = new(true);
        public static readonly WorstFirst ById = new(false);

        public int Compare(Match a, Match b)
        {
            if (byDistance && a.Distance != b.Distance)
            {
                return b.Distance.CompareTo(a.Distance);
            }

            return string.CompareOrdinal(b.Summary.Id, a.Summary.Id);
        }
    }
}
