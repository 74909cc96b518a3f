using CityTwin.Grains.Model;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Serialises the alerts of one building and category, so a burst of repeated alarms opens exactly one case. The
/// window slides: each joined alert extends it. A closed or rejected case is never joined; the next alert opens a new one.
/// </summary>
[GrainType("caseintake")]
public sealed class CaseIntakeGrain([PersistentState("intake", SiloStore.StorageName)] IPersistentState<CaseIntakeState> intake, CaseCatalogue catalogue)
    : WriteBehindGrain<CaseIntakeState>(intake), ICaseIntakeGrain
{
    /// <inheritdoc />
    public async Task<string> AcceptAsync(Alert alert, string category)
    {
        DateTimeOffset at = alert.At;
        if (State is { OpenCaseId: { } open, LastAlertAt: { } last } && at - last <= catalogue.DedupWindow
            && await GrainFactory.GetGrain<ICaseGrain>(open).JoinAlertAsync(alert))
        {
            State.LastAlertAt = at > last ? at : last;
            await WriteStateAsync();
            return open;
        }

        string id = CaseIds.New(TimeProvider.GetUtcNow());
        await GrainFactory.GetGrain<ICaseGrain>(id).ReportAsync(new CaseReport(CaseSource.Sensor, category, alert.Position, alert.Message)
        {
            Reporter = alert.EntityId,
            ExternalRef = alert.Id,
            BuildingId = alert.BuildingId,
            GridId = alert.GridId,
            CommunityId = alert.CommunityId,
            StreetId = alert.StreetId,
            Contact = alert.Recipients.FirstOrDefault(),
            Details = Details(alert),
        });
        State.OpenCaseId = id;
        State.LastAlertAt = at;
        await WriteStateAsync();
        return id;
    }

    private static Dictionary<string, string> Details(Alert alert)
    {
        var d = alert.Details is null ? new Dictionary<string, string>() : new Dictionary<string, string>(alert.Details);
        d["alertKind"] = alert.Kind;
        d["entityType"] = alert.EntityType.ToString().ToLowerInvariant();
        d["entityId"] = alert.EntityId;
        return d;
    }
}
