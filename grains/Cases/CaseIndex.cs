using System.Collections.Concurrent;
using System.Text.Json;
using CityTwin.Silo.Storage;

namespace CityTwin.Grains.Cases;

/// <summary>
/// The case list read model of one silo: a summary per case, replaced by the case grain inside the turn that changed
/// the case, so a list query right after an acknowledged transition sees it. Rebuilt from stored case states when a
/// server restarts (<see cref="RestoreAsync"/>).
/// </summary>
public sealed class CaseIndex
{
    private readonly ConcurrentDictionary<string, CaseSummary> _byId = new(StringComparer.Ordinal);

    /// <summary>Cases known.</summary>
    public int Count => _byId.Count;

    /// <summary>Adds or replaces a case's summary.</summary>
    public void Upsert(CaseSummary summary) => _byId[summary.Id] = summary;

    /// <summary>A case's summary, or null.</summary>
    public CaseSummary? Get(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// Cases matching <paramref name="query"/>, newest report first (ties by id), one page of them, and how many matched.
    /// <c>From</c>/<c>To</c> filter on the report time (from inclusive, to exclusive).
    /// </summary>
    public (int Total, IReadOnlyList<CaseSummary> Page) Query(CaseQuery query, int page, int pageSize)
    {
        var matches = new List<CaseSummary>();
        foreach (CaseSummary c in _byId.Values)
        {
            if (Matches(c, query))
            {
                matches.Add(c);
            }
        }

        matches.Sort(static (a, b) => b.ReportedAt != a.ReportedAt ? b.ReportedAt.CompareTo(a.ReportedAt) : string.CompareOrdinal(a.Id, b.Id));
        int skip = (int)Math.Min((long)(page - 1) * pageSize, matches.Count);
        return (matches.Count, matches.GetRange(skip, Math.Min(pageSize, matches.Count - skip)));
    }

    /// <summary>Rebuilds the index from the stored states of the case grains; returns how many cases were restored.</summary>
    public async Task<int> RestoreAsync(IStoredStateReader states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        int restored = 0;
        await foreach (StoredState stored in states.ReadAllAsync(CaseGrain.GrainTypeName, cancellationToken).WithCancellation(cancellationToken))
        {
            if (stored.StateName == CaseGrain.StateName
                && JsonSerializer.Deserialize<CaseRecord>(stored.Payload.Span, JsonSerializerOptions.Web) is { Created: true } record)
            {
                Upsert(CaseViews.Summarize(record));
                restored++;
            }
        }

        return restored;
    }

    private static bool Matches(CaseSummary c, CaseQuery q) =>
        (q.Status is null || c.Status == q.Status)
        && (q.Source is null || c.Source == q.Source)
        && (q.Category is null || string.Equals(c.Category, q.Category, StringComparison.OrdinalIgnoreCase))
        && (q.Area is null || q.Area == c.GridId || q.Area == c.CommunityId || q.Area == c.StreetId || q.Area == c.DistrictId)
        && (q.Assignee is null || q.Assignee == c.Assignee)
        && (q.From is null || c.ReportedAt >= q.From)
        && (q.To is null || c.ReportedAt < q.To);
}
