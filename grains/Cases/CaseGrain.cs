using System.Globalization;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A case. Requests run one at a time, so of two concurrent transitions the second sees the first's result and is
/// refused when it no longer applies. Every change is written before it is acknowledged, recorded in the timeline with
/// actor, grain time, note and evidence, mirrored to the case list, published on the case-changes feed and counted by
/// the area and cell aggregates. The SLA of the current stage is a durable Orleans reminder on the reminders' clock, so
/// it fires in virtual time in drills and survives restarts.
/// </summary>
[GrainType(GrainTypeName)]
public sealed class CaseGrain(
    [PersistentState(CaseGrain.StateName, SiloStore.StorageName)] IPersistentState<CaseRecord> record,
    CaseCatalogue catalogue,
    CaseIndex index,
    DispatchPlanner planner,
    CasePlaceLocator locator,
    AlertBus alerts,
    TwinFeeds feeds,
    IEventLog eventLog,
    ILogger<CaseGrain> logger) : WriteBehindGrain<CaseRecord>(record), ICaseGrain, IRemindable
{
    /// <summary>The Orleans grain type of cases (as stored: the name the grain type always had).</summary>
    public const string GrainTypeName = "case";

    /// <summary>The name of the case's persistent state.</summary>
    public const string StateName = "case";

    private const string SlaReminder = "sla";
    private const string SystemActor = "system";

    private CaseRecord R => State;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <inheritdoc />
    public async Task<CaseView> ReportAsync(CaseReport report)
    {
        if (R.Created)
        {
            return View();
        }

        CaseCategory category = catalogue.Find(report.Category)
            ?? throw new ArgumentException($"Unknown case category '{report.Category}'.", nameof(report));
        DateTimeOffset now = Now;
        CasePlace place = locator.Locate(report.Location, report.GridId, report.CommunityId, report.StreetId, report.BuildingId);
        R.Created = true;
        R.Id = this.GetPrimaryKeyString();
        R.Status = CaseStatus.Reported;
        R.Source = report.Source;
        R.Category = category.Id;
        R.Department = category.Department;
        R.Severity = category.Severity;
        R.Location = report.Location;
        R.Area = report.Area;
        R.Description = report.Description;
        R.PhotoUrls = report.PhotoUrls;
        R.Contact = report.Contact;
        R.Reporter = report.Reporter;
        R.ExternalRef = report.ExternalRef;
        R.BuildingId = report.BuildingId;
        R.GridId = place.GridId;
        R.CommunityId = place.CommunityId;
        R.StreetId = place.StreetId;
        R.DistrictId = place.DistrictId;
        R.CellId = place.CellId;
        R.Details = report.Details is null ? null : new Dictionary<string, string>(report.Details);
        R.ReportedAt = now;
        R.Level = AreaKind.Grid;
        if (report.Source == CaseSource.Sensor && report.ExternalRef is not null)
        {
            R.AlertIds.Add(report.ExternalRef);
            R.LastAlertAt = now;
        }

        EnterStage(CaseStatus.Reported, category, now);
        CaseTimelineEntry entry = Append("report", CaseStatus.Reported, CaseStatus.Reported, report.SubmittedBy ?? report.Reporter ?? CaseNames.Of(report.Source), now,
            report.Description, report.PhotoUrls, new Dictionary<string, string> { ["source"] = CaseNames.Of(report.Source), ["category"] = category.Id });
        await PersistAsync("created", entry);
        var reported = new CaseReportedEvent(R.Id, now, CaseNames.Of(R.Source), R.Category, R.CellId);
        foreach (string area in Areas())
        {
            await CountAsync(GrainFactory.GetGrain<ICaseAreaStatsGrain>(area).RecordReportedAsync(reported));
        }

        if (R.CellId is not null)
        {
            await CountAsync(GrainFactory.GetGrain<ICaseCellStatsGrain>(R.CellId).RecordReportedAsync(reported));
        }

        await ArmSlaAsync(category);
        if (category.AutoVerifySources.Contains(CaseNames.Of(report.Source), StringComparer.OrdinalIgnoreCase))
        {
            await ApplyAsync(new CaseTransitionRequest(CaseAction.Verify, $"{SystemActor}:auto-verify", $"A {CaseNames.Of(report.Source)} report of this category counts as verified."), category);
        }

        return View();
    }

    /// <inheritdoc />
    public async Task<CaseTransitionResult> TransitionAsync(CaseTransitionRequest request)
    {
        if (!R.Created)
        {
            return new CaseTransitionResult(CaseOutcome.NotFound, null, $"No case '{this.GetPrimaryKeyString()}'.", []);
        }

        // Logged in the turn that decided it, applied or refused: the log holds the transitions in the order applied.
        CaseTransitionResult result = await ApplyAsync(request, catalogue.Find(R.Category));
        await eventLog.AppendAsync(CaseTransitionLog.Of(request, result, R.Status, R.Timeline.Count).ToAppend(R.Id, Now));
        return result;
    }

    /// <inheritdoc />
    public Task<CaseView?> GetAsync() => Task.FromResult(R.Created ? View() : null);

    /// <inheritdoc />
    public async Task<bool> JoinAlertAsync(Alert alert)
    {
        if (!R.Created || CaseStateMachine.IsTerminal(R.Status))
        {
            return false;
        }

        if (R.AlertIds.Contains(alert.Id))
        {
            return true;
        }

        DateTimeOffset now = Now;
        R.AlertIds.Add(alert.Id);
        R.LastAlertAt = now;
        CaseTimelineEntry entry = Append("alert-joined", R.Status, R.Status, alert.EntityId, now, alert.Message, [],
            new Dictionary<string, string> { ["alertId"] = alert.Id, ["kind"] = alert.Kind, ["alertAt"] = alert.At.ToString("O", CultureInfo.InvariantCulture) });
        await PersistAsync("alert-joined", entry);
        return true;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SlaReminder)
        {
            return;
        }

        CaseCategory? category = catalogue.Find(R.Category);
        DateTimeOffset now = Now;
        if (!R.Created || CaseStateMachine.IsTerminal(R.Status) || R.NextEscalationAt is not { } due || category?.SlaFor(R.Status) is not { } sla)
        {
            await DisarmSlaAsync();
            return;
        }

        if (now < due)
        {
            return;
        }

        bool first = !R.EverOverdue;
        if (!R.Overdue)
        {
            R.Overdue = true;
            R.EverOverdue = true;
            var overdue = new CaseOverdueEvent(R.ReportedAt, first);
            foreach (string area in Areas())
            {
                await CountAsync(GrainFactory.GetGrain<ICaseAreaStatsGrain>(area).RecordOverdueAsync(overdue));
            }
        }

        AreaKind from = R.Level;
        R.Level = from == AreaKind.District ? AreaKind.District : from - 1;
        R.NextEscalationAt = R.Level == AreaKind.District ? null : now + sla;
        string stage = CaseNames.Of(R.Status);
        string level = LevelName(R.Level);
        string note = from == R.Level
            ? $"Stage '{stage}' is overdue (SLA {sla}); already at district level."
            : $"Stage '{stage}' is overdue (SLA {sla}); escalated from {LevelName(from)} to {level}.";
        CaseTimelineEntry entry = Append("escalate", R.Status, R.Status, $"{SystemActor}:sla", now, note, [], new Dictionary<string, string>
        {
            ["stage"] = stage,
            ["dueAt"] = (R.DueAt ?? due).ToString("O", CultureInfo.InvariantCulture),
            ["fromLevel"] = LevelName(from),
            ["level"] = level,
        });
        await PersistAsync("escalated", entry);

        // The notice goes to the staff of the area now responsible (the community's, the street's, ...).
        string? responsibleArea = R.Level switch
        {
            AreaKind.Grid => R.GridId,
            AreaKind.Community => R.CommunityId,
            AreaKind.Street => R.StreetId,
            _ => R.DistrictId,
        };
        Contact[] staff = string.IsNullOrEmpty(responsibleArea) ? [] : await GrainFactory.GetGrain<IAreaGrain>(responsibleArea).GetStaffAsync();
        await alerts.PublishAsync(new Alert(
            $"{R.Id}-escalation-{entry.Sequence}", "alert", "caseOverdue", R.Severity == "critical" ? AlertSeverity.Critical : AlertSeverity.Warning,
            $"Case {R.Id} ({R.Category}) is overdue in stage '{stage}'; now handled at {level} level.", EntityType.Case, R.Id, R.Location, now,
            R.BuildingId, R.GridId, R.CommunityId, R.StreetId, staff,
            new Dictionary<string, string> { ["caseId"] = R.Id, ["stage"] = stage, ["level"] = level, ["category"] = R.Category }));
        await ArmSlaAsync(category);
    }

    /// <summary>The list summary of a stored case.</summary>
    public static CaseSummary Summarize(CaseRecord r) => new(
        r.Id, r.Status, r.Source, r.Category, r.Severity, r.Location, r.GridId, r.CommunityId, r.StreetId, r.DistrictId, r.CellId,
        r.Primary?.Id, LevelName(r.Level), r.Overdue, r.ReportedAt, r.UpdatedAt);

    private static string LevelName(AreaKind level) => level.ToString().ToLowerInvariant();

    private async Task<CaseTransitionResult> ApplyAsync(CaseTransitionRequest request, CaseCategory? category)
    {
        bool onSpot = category?.OnSpot == true;
        if (request.ExpectedSequence is { } expected && expected != R.Timeline.Count)
        {
            return new CaseTransitionResult(CaseOutcome.Conflict, View(),
                $"The case changed since you read it (timeline has {R.Timeline.Count} entries, you expected {expected}); reload it.", Allowed(onSpot));
        }

        if (CaseStateMachine.Next(R.Status, request.Action, onSpot) is not { } next)
        {
            string why = request.Action == CaseAction.CloseOnSpot && !onSpot && !CaseStateMachine.IsTerminal(R.Status)
                ? $"Category '{R.Category}' cannot be closed on the spot; it goes up for dispatch."
                : $"'{CaseNames.Of(request.Action)}' is not allowed when the case is {CaseNames.Of(R.Status)}.";
            return new CaseTransitionResult(CaseOutcome.Conflict, View(), why, Allowed(onSpot));
        }

        if (string.IsNullOrWhiteSpace(request.Actor))
        {
            return Invalid("Every transition needs an actor.", "actor", Allowed(onSpot));
        }

        if (CaseStateMachine.NeedsEvidence(request.Action) && !request.Evidence.Any(e => !string.IsNullOrWhiteSpace(e)))
        {
            return Invalid($"'{CaseNames.Of(request.Action)}' needs evidence: at least one after-photo URL.", "evidence", Allowed(onSpot));
        }

        if (request.Action == CaseAction.CloseOnSpot && !planner.IsResponder(request.Actor) && !(request.StatedActor is { } stated && planner.IsResponder(stated)))
        {
            return Invalid("Only a grid worker (a key named by a responder id, or a responder id as actor) may close a case on the spot.", "actor", Allowed(onSpot));
        }

        DateTimeOffset now = Now;
        Dictionary<string, string>? details = null;
        List<CaseUnit>? units = null;
        if (request.Action == CaseAction.Dispatch)
        {
            (units, string? error, CaseOutcome outcome) = await AssignUnitsAsync(request.Assignee, category, now);
            if (units is null)
            {
                return new CaseTransitionResult(outcome, View(), error, Allowed(onSpot)) { Field = outcome == CaseOutcome.Invalid ? "assignee" : null };
            }

            details = DescribeUnits(units);
        }

        CaseStatus from = R.Status;
        double stageSeconds = (now - R.StageEnteredAt).TotalSeconds;
        bool stageWasOverdue = R.Overdue;
        string fromName = CaseNames.Of(from);
        R.StageSeconds[fromName] = R.StageSeconds.GetValueOrDefault(fromName) + stageSeconds;
        if (units is not null)
        {
            R.Units = units;
        }

        EnterStage(next, category, now);
        if (request.Action == CaseAction.FailCheck && R.Primary is { } reworker)
        {
            details = new Dictionary<string, string> { ["assignee"] = reworker.Id };
        }

        if (request.StatedActor is { Length: > 0 } statedActor)
        {
            // Free text beside who acted, never instead of it.
            (details ??= new Dictionary<string, string>())["statedActor"] = statedActor;
        }

        CaseTimelineEntry entry = Append(CaseNames.Of(request.Action), from, next, request.Actor, now, request.Note, request.Evidence, details);
        await PersistAsync("transition", entry);
        var stageEvent = new CaseStageEvent(R.ReportedAt, fromName, CaseNames.Of(next), stageSeconds,
            next == CaseStatus.Closed ? (now - R.ReportedAt).TotalSeconds : null, stageWasOverdue);
        foreach (string area in Areas())
        {
            await CountAsync(GrainFactory.GetGrain<ICaseAreaStatsGrain>(area).RecordStageAsync(stageEvent));
        }

        await FollowWithUnitsAsync(request.Action);
        if (category is not null)
        {
            await ArmSlaAsync(category);
        }
        else
        {
            await DisarmSlaAsync();
        }

        if (next == CaseStatus.Verified && request.Action == CaseAction.Verify && category is { AutoDispatch: true, Dispatch.Length: > 0 })
        {
            // The plan runs at once; when no unit is free the case waits verified and its SLA escalates it.
            await ApplyAsync(new CaseTransitionRequest(CaseAction.Dispatch, $"{SystemActor}:dispatch-plan", $"Automatic plan of '{category.Id}'."), category);
        }

        CaseView view = View();
        return new CaseTransitionResult(CaseOutcome.Ok, view, null, view.AllowedActions);
    }

    private async Task<(List<CaseUnit>? Units, string? Error, CaseOutcome Outcome)> AssignUnitsAsync(string? assignee, CaseCategory? category, DateTimeOffset now)
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

    private static CaseUnit Unit(DispatchCandidate c, string role, string? department, DateTimeOffset now) => new(
        c.Type, c.Id, role, department, double.IsFinite(c.DistanceM) ? Math.Round(c.DistanceM, 1) : null,
        double.IsFinite(c.TravelDistanceM) ? Math.Round(c.TravelDistanceM, 1) : null, now);

    private Dictionary<string, string> DescribeUnits(List<CaseUnit> units)
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

    private async Task<bool> ClaimAsync(DispatchCandidate unit, bool force)
    {
        if (unit.Type == "responder")
        {
            return await GrainFactory.GetGrain<IResponderGrain>(unit.Id).AssignAsync(R.Id, R.Category, force);
        }

        return await GrainFactory.GetGrain<IVehicleGrain>(unit.Id).ClaimAsync(R.Id, force);
    }

    // Units' statuses follow the case. A failure here must not undo a recorded transition, so it is logged.
    private async Task FollowWithUnitsAsync(CaseAction action)
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

    private void EnterStage(CaseStatus status, CaseCategory? category, DateTimeOffset now)
    {
        R.Status = status;
        R.StageEnteredAt = now;
        R.UpdatedAt = now;
        R.StageTimes.TryAdd(CaseNames.Of(status), now);
        R.Overdue = false;
        R.DueAt = CaseStateMachine.IsTerminal(status) || category?.SlaFor(status) is not { } sla ? null : now + sla;
        R.NextEscalationAt = R.DueAt;
    }

    private CaseTimelineEntry Append(string action, CaseStatus from, CaseStatus to, string actor, DateTimeOffset at, string? note, string[] evidence, Dictionary<string, string>? details)
    {
        var entry = new CaseTimelineEntry(R.Timeline.Count + 1, action, CaseNames.Of(from), CaseNames.Of(to), actor, at, note, [.. evidence]) { Details = details };
        R.Timeline.Add(entry);
        R.UpdatedAt = at;
        return entry;
    }

    private async Task PersistAsync(string kind, CaseTimelineEntry entry)
    {
        try
        {
            await WriteStateAsync();
        }
        catch
        {
            // Nothing is acknowledged unless stored: go back to the stored case and let the caller see the failure.
            await PersistentState.ReadStateAsync();
            throw;
        }

        index.Upsert(Summarize(R));
        feeds.CaseChanges.Publish(new CaseChange(
            R.Id, kind, CaseNames.Of(R.Status), R.Category, CaseNames.Of(R.Source), R.Severity, R.Location, R.GridId, R.CommunityId,
            R.StreetId, R.DistrictId, R.Primary?.Id, LevelName(R.Level), R.Overdue, entry.At, entry));
    }

    // The aggregates are fed one-way after the case was stored; an overloaded aggregate must not fail an
    // acknowledged transition, so the miss is logged (the aggregates can be rebuilt from the cases).
    private async Task CountAsync(Task send)
    {
        try
        {
            await send;
        }
        catch (Exception e) when (e is LimitExceededException or SiloUnavailableException)
        {
            logger.LogWarning(e, "Case {Case}: an aggregate missed an update", R.Id);
        }
    }

    private async Task ArmSlaAsync(CaseCategory category)
    {
        if (CaseStateMachine.IsTerminal(R.Status) || R.NextEscalationAt is not { } next || category.SlaFor(R.Status) is not { } sla)
        {
            await DisarmSlaAsync();
            return;
        }

        TimeSpan due = next - Now;
        await this.RegisterOrUpdateReminder(SlaReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, sla);
    }

    private async Task DisarmSlaAsync()
    {
        if (await this.GetReminder(SlaReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private IEnumerable<string> Areas()
    {
        foreach (string? id in (string?[])[R.GridId, R.CommunityId, R.StreetId, R.DistrictId])
        {
            if (!string.IsNullOrEmpty(id))
            {
                yield return id;
            }
        }
    }

    private string[] Allowed(bool onSpot) => CaseStateMachine.Allowed(R.Status, onSpot).Select(CaseNames.Of).ToArray();

    private CaseTransitionResult Invalid(string error, string field, string[] allowed) =>
        new(CaseOutcome.Invalid, View(), error, allowed) { Field = field };

    // Callers get copies: the live record keeps changing in later turns.
    private CaseView View() => new()
    {
        Id = R.Id,
        Status = CaseNames.Of(R.Status),
        Source = CaseNames.Of(R.Source),
        Category = R.Category,
        Department = R.Department,
        Severity = R.Severity,
        Location = R.Location,
        Area = R.Area,
        Description = R.Description,
        PhotoUrls = R.PhotoUrls,
        Contact = R.Contact,
        Reporter = R.Reporter,
        ExternalRef = R.ExternalRef,
        BuildingId = R.BuildingId,
        GridId = R.GridId,
        CommunityId = R.CommunityId,
        StreetId = R.StreetId,
        DistrictId = R.DistrictId,
        CellId = R.CellId,
        ReportedAt = R.ReportedAt,
        UpdatedAt = R.UpdatedAt,
        Level = LevelName(R.Level),
        DueAt = R.DueAt,
        Overdue = R.Overdue,
        Assignee = R.Primary?.Id,
        Units = [.. R.Units],
        StageTimes = new Dictionary<string, DateTimeOffset>(R.StageTimes),
        StageSeconds = new Dictionary<string, double>(R.StageSeconds),
        AlertIds = [.. R.AlertIds],
        AllowedActions = Allowed(catalogue.Find(R.Category)?.OnSpot == true),
        Details = R.Details is null ? null : new Dictionary<string, string>(R.Details),
        Timeline = [.. R.Timeline],
    };
}
