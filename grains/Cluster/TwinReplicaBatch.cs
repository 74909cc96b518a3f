using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Cluster;

/// <summary>
/// The read-model changes one silo's grains made in one short window, sent to every other silo of the cluster: the
/// latest summary of each changed entity and case, and every alert and case change in the order they happened.
/// </summary>
/// <param name="Source">The sending silo, for logs.</param>
/// <param name="Entities">Each changed entity's latest summary.</param>
/// <param name="Alerts">Alerts and warnings raised, in order.</param>
/// <param name="Cases">Each changed case's latest summary.</param>
/// <param name="CaseChanges">Case changes, in order.</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record TwinReplicaBatch(string Source, EntitySummary[] Entities, Alert[] Alerts, CaseSummary[] Cases, CaseChange[] CaseChanges)
{
    /// <summary>Items in the batch.</summary>
    public int ItemCount() => Entities.Length + Alerts.Length + Cases.Length + CaseChanges.Length;
}
