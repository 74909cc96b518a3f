using CityTwin.Grains.Twin;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// The audit part of a case grain: every change is an entry of the case's timeline (action, stages, actor, grain time,
/// note, evidence, details), and once stored it is mirrored to the case list and published on the case-changes feed.
/// </summary>
internal sealed class CaseAudit(IPersistentState<CaseRecord> record, CaseIndex index, TwinFeeds feeds)
{
    private CaseRecord R => record.State;

    /// <summary>Adds an entry to the case's timeline.</summary>
    public CaseTimelineEntry Append(string action, CaseStatus from, CaseStatus to, string actor, DateTimeOffset at, string? note, string[] evidence, Dictionary<string, string>? details)
    {
        var entry = new CaseTimelineEntry(R.Timeline.Count + 1, action, CaseNames.Of(from), CaseNames.Of(to), actor, at, note, [.. evidence]) { Details = details };
        R.Timeline.Add(entry);
        R.UpdatedAt = at;
        return entry;
    }

    /// <summary>Mirrors the stored case to the case list and publishes the change <paramref name="kind"/> with its <paramref name="entry"/>.</summary>
    public void Publish(string kind, CaseTimelineEntry entry)
    {
        index.Upsert(CaseViews.Summarize(R));
        feeds.CaseChanges.Publish(new CaseChange(
            R.Id, kind, CaseNames.Of(R.Status), R.Category, CaseNames.Of(R.Source), R.Severity, R.Location, R.GridId, R.CommunityId,
            R.StreetId, R.DistrictId, R.Primary?.Id, CaseViews.LevelName(R.Level), R.Overdue, entry.At, entry));
    }
}
