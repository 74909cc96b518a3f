using System.Globalization;
using CityTwin.Grains.Twin;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// The dispatch part of a case grain: chooses and claims the case's units (a named assignee, or its category's dispatch
/// plan, nearest free unit first) and keeps their statuses following the case's stages. Works on the grain's live record.
/// </summary>
internal sealed class CaseDispatch(
    IPersistentState<CaseRecord> record, IGrainFactory grainFactory, DispatchPlanner planner, CaseCatalogue catalogue, ILogger logger)
{
    private CaseRecord R => record.State;

    private IGrainFactory GrainFactory => grainFactory;

    /// <summary>Claims the units for a dispatch; null units with the error and outcome when none can be had.</summary>
    public async Task<(List<CaseUnit>? Units, string? Error, CaseOutcome Outcome)> AssignUnitsAsync(string? assignee, CaseCategory? category, DateTimeOffset now)
    {
        var units = new List<CaseUnit>();
        if (!string.IsNullOrWhiteSpace(assignee))
        {
            if (planner.Named(assignee, R.Location) is not { } named)
            {
                return (null, $"No responder or vehicle '{assignee}'.", CaseOutcome.Invalid);
            }

            if (!await ClaimAsync(named, force: true))
            {
                return (null, $"'{assignee}' cannot take cases.", CaseOutcome.Invalid);
            }

            units.Add(Unit(named, "primary", category?.Department, now));
            return (units, null, CaseOutcome.Ok);
        }

        if (category is not { Dispatch.Length: > 0 })
        {
            return (null, $"Category '{R.Category}' has no dispatch plan; name an assignee.", CaseOutcome.Invalid);
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < category.Dispatch.Length; i++)
        {
            DispatchUnitSpec spec = category.Dispatch[i];
            CaseUnit? chosen = null;
            foreach (DispatchCandidate candidate in planner.Candidates(spec, R.Location, exclude: taken))
            {
                if (await ClaimAsync(candidate, force: false))
                {
                    chosen = Unit(candidate, i == 0 ? "primary" : "support", spec.Department ?? category.Department, now);
                    break;
                }
            }

            if (chosen is null && i == 0)
            {
                string what = spec.Type == "vehicle" ? $"vehicle ({string.Join('/', spec.Kinds)})" : $"responder{(spec.Skill is null ? "" : $" with skill '{spec.Skill}'")}";
                return (null, $"No available {what} within {catalogue.SearchRadiiM.Max() / 1000:0.#} km.", CaseOutcome.NoUnit);
            }

            if (chosen is not null)
            {
                taken.Add(chosen.Id);
                units.Add(chosen);
            }
        }

        return (units, null, CaseOutcome.Ok);
    }

    /// <summary>The timeline details of a dispatch: the assignee, support units and their travel distances.</summary>
    public Dictionary<string, string> DescribeUnits(List<CaseUnit> units)
    {
        var d = new Dictionary<string, string> { ["networkFactor"] = catalogue.NetworkFactor.ToString(CultureInfo.InvariantCulture) };
        foreach (CaseUnit u in units)
        {
            string key = u.Role == "primary" ? "assignee" : $"support:{u.Id}";
            d[key] = u.Role == "primary" ? u.Id : u.Type;
            if (u.TravelDistanceM is { } travel)
            {
                d[$"travelDistanceM:{u.Id}"] = travel.ToString(CultureInfo.InvariantCulture);
            }
        }

        return d;
    }

    /// <summary>
    /// Units' statuses follow the case after <paramref name="action"/>. A failure here must not undo a recorded transition,
    /// so it is logged.
    /// </summary>
    public async Task FollowWithUnitsAsync(CaseAction action)
    {
        (string? status, bool release) = action switch
        {
            CaseAction.Accept => ("en-route", false),
            CaseAction.Start => ("on-scene", false),
            CaseAction.FailCheck => ("dispatched", false),
            CaseAction.Resolve or CaseAction.Close or CaseAction.CloseOnSpot or CaseAction.Reject or CaseAction.Decline => (null, true),
            _ => (null, false),
        };
        if (status is null && !release)
        {
            return;
        }

        foreach (CaseUnit u in R.Units)
        {
            try
            {
                if (u.Type == "responder")
                {
                    IResponderGrain responder = GrainFactory.GetGrain<IResponderGrain>(u.Id);
                    if (release)
                    {
                        await responder.ReleaseAsync(R.Id);
                    }
                    else if (action == CaseAction.FailCheck)
                    {
                        await responder.AssignAsync(R.Id, R.Category, force: true);
                    }
                    else
                    {
                        await responder.UpdateTaskAsync(R.Id, status!);
                    }
                }
                else
                {
                    await GrainFactory.GetGrain<IVehicleGrain>(u.Id).SetDispatchAsync(release ? null : R.Id, release ? "available" : status!);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Case {Case}: could not update {Type} {Unit} after '{Action}'", R.Id, u.Type, u.Id, CaseNames.Of(action));
            }
        }

        if (action == CaseAction.Decline)
        {
            R.Units = [];
        }
    }

    private static CaseUnit Unit(DispatchCandidate c, string role, string? department, DateTimeOffset now) => new(
        c.Type, c.Id, role, department, double.IsFinite(c.DistanceM) ? Math.Round(c.DistanceM, 1) : null,
        double.IsFinite(c.TravelDistanceM) ? Math.Round(c.TravelDistanceM, 1) : null, now);

    private async Task<bool> ClaimAsync(DispatchCandidate unit, bool force)
    {
        if (unit.Type == "responder")
        {
            return await GrainFactory.GetGrain<IResponderGrain>(unit.Id).AssignAsync(R.Id, R.Category, force);
        }

        return await GrainFactory.GetGrain<IVehicleGrain>(unit.Id).ClaimAsync(R.Id, force);
    }
}
