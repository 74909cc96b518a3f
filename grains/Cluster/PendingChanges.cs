using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// Read-model changes waiting to be sent to another silo: the latest summary of each changed entity and case (a later
/// change replaces an earlier one, so a silo that falls behind is sent each entity once, as it is now) and the alerts and
/// case changes in the order they happened. Not thread-safe: its owner locks.
/// </summary>
internal sealed class PendingChanges
{
    private Dictionary<string, EntitySummary> _entities = new(StringComparer.Ordinal);
    private Dictionary<string, CaseSummary> _cases = new(StringComparer.Ordinal);
    private List<Alert> _alerts = [];
    private List<CaseChange> _caseChanges = [];

    /// <summary>Adds an entity's latest summary.</summary>
    public void Add(EntitySummary entity) => _entities[entity.Id] = entity;

    /// <summary>Adds a case's latest summary.</summary>
    public void Add(CaseSummary summary) => _cases[summary.Id] = summary;

    /// <summary>Adds an alert, after those already pending.</summary>
    public void Add(Alert alert) => _alerts.Add(alert);

    /// <summary>Adds a case change, after those already pending.</summary>
    public void Add(CaseChange change) => _caseChanges.Add(change);

    /// <summary>Adds a batch of changes made after those already pending.</summary>
    public void Merge(TwinReplicaBatch batch)
    {
        foreach (EntitySummary e in batch.Entities)
        {
            Add(e);
        }

        foreach (CaseSummary c in batch.Cases)
        {
            Add(c);
        }

        _alerts.AddRange(batch.Alerts);
        _caseChanges.AddRange(batch.CaseChanges);
    }

    /// <summary>Puts back a batch that could not be sent, under the changes made since: a newer summary stays.</summary>
    public void PutBack(TwinReplicaBatch batch)
    {
        foreach (EntitySummary e in batch.Entities)
        {
            _entities.TryAdd(e.Id, e);
        }

        foreach (CaseSummary c in batch.Cases)
        {
            _cases.TryAdd(c.Id, c);
        }

        _alerts.InsertRange(0, batch.Alerts);
        _caseChanges.InsertRange(0, batch.CaseChanges);
    }

    /// <summary>Drops the oldest alerts and case changes beyond <paramref name="limit"/> of each; returns how many went.</summary>
    public int Trim(int limit)
    {
        int alerts = Math.Max(0, _alerts.Count - limit);
        int changes = Math.Max(0, _caseChanges.Count - limit);
        _alerts.RemoveRange(0, alerts);
        _caseChanges.RemoveRange(0, changes);
        return alerts + changes;
    }

    /// <summary>Everything pending as one batch from <paramref name="source"/>, leaving nothing pending; null when nothing is.</summary>
    public TwinReplicaBatch? Take(string source)
    {
        if (_entities.Count == 0 && _alerts.Count == 0 && _cases.Count == 0 && _caseChanges.Count == 0)
        {
            return null;
        }

        var batch = new TwinReplicaBatch(source, [.. _entities.Values], [.. _alerts], [.. _cases.Values], [.. _caseChanges]);
        _entities = new(StringComparer.Ordinal);
        _cases = new(StringComparer.Ordinal);
        _alerts = [];
        _caseChanges = [];
        return batch;
    }
}
