using CityTwin.Grains.Model;
using CityTwin.Silo;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Serialises the alerts of one building and category, so a burst of repeated alarms opens exactly one case. The
/// window slides: each joined alert extends it. A closed or rejected case is never joined; the next alert opens a new one.
/// </summary>
public sealed class CaseIntakeGrain([PersistentState("intake")] IPersistentState<CaseIntakeState> state, CaseCatalogue catalogue) : Grain, ICaseIntakeGrain
{
    /// <inheritdoc />
    public async Task<string> AcceptAsync(Alert alert, string category)
    {
        DateTimeOffset at = alert.At;
        if (state.State is { OpenCaseId: { } open, LastAlertAt: { } last } && at - last <= catalogue.DedupWindow
            && await GrainFactory.GetGrain<ICaseGrain>(open).JoinAlertAsync(alert))
        {
            state.State.LastAlertAt = at > last ? at : last;
            await state.WriteStateAsync();
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
        state.State.OpenCaseId = id;
        state.State.LastAlertAt = at;
        await state.WriteStateAsync();
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
