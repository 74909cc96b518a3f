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
/// it fires in virtual time in drills and survives restarts. The grain runs the state machine; its parts are
/// <see cref="CaseDispatch"/> (units), <see cref="CaseSla"/> (SLA and escalation), <see cref="CaseAudit"/> (timeline and
/// its mirrors), <see cref="CaseAggregates"/> (counts) and <see cref="CaseViews"/> (what readers get).
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
    ILogger<CaseGrain> logger,
    ForkMode? fork = null) : WriteBehindGrain<CaseRecord>(record), ICaseGrain, IRemindable
{
    /// <summary>The Orleans grain type of cases (as stored: the name the grain type always had).</summary>
    public const string GrainTypeName = "case";

    /// <summary>The name of the case's persistent state.</summary>
    public const string StateName = "case";

    private const string SystemActor = "system";

    private CaseDispatch? _dispatch;
    private CaseSla? _sla;
    private bool _transitionLogged;
    private CaseAudit? _audit;
    private CaseAggregates? _aggregates;

    private CaseRecord R => State;

    private CaseDispatch Dispatch => _dispatch ??= new CaseDispatch(PersistentState, GrainFactory, planner, catalogue, logger);

    private CaseSla Sla => _sla ??= new CaseSla(this, PersistentState, TimeProvider, () => fork?.IsFrozen(R.Id) == true);

    private CaseAudit Audit => _audit ??= new CaseAudit(PersistentState, index, feeds);

    private CaseAggregates Aggregates => _aggregates ??= new CaseAggregates(PersistentState, GrainFactory, logger);

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
        await Aggregates.ReportedAsync(new CaseReportedEvent(R.Id, now, CaseNames.Of(R.Source), R.Category, R.CellId));
        await Sla.ArmSlaAsync(category);
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

        // Logged in the turn that decides it, applied or refused: the log holds the transitions in the order applied. An
        // applied one is logged before it is stored (ApplyAsync), so a crash between the two can leave a logged step
        // unstored (never acknowledged), never a stored step missing from the log.
        _transitionLogged = false;
        CaseTransitionResult result = await ApplyAsync(request, catalogue.Find(R.Category), logAs: request);
        if (!_transitionLogged)
        {
            await eventLog.AppendAsync(CaseTransitionLog.Of(request, result, R.Status, R.Timeline.Count).ToAppend(R.Id, Now));
        }

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
        if (reminderName != CaseSla.SlaReminder || fork?.IsFrozen(R.Id) == true)
        {
            return;
        }

        CaseCategory? category = catalogue.Find(R.Category);
        DateTimeOffset now = Now;
        if (!R.Created || CaseStateMachine.IsTerminal(R.Status) || R.NextEscalationAt is not { } due || category?.SlaFor(R.Status) is not { } sla)
        {
            await Sla.DisarmSlaAsync();
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
            await Aggregates.OverdueAsync(new CaseOverdueEvent(R.ReportedAt, first));
        }

        (string note, Dictionary<string, string> details) = Sla.Escalate(sla, due, now);
        CaseTimelineEntry entry = Append("escalate", R.Status, R.Status, $"{SystemActor}:sla", now, note, [], details);
        await PersistAsync("escalated", entry);

        // The notice goes to the staff of the area now responsible (the community's, the street's, ...).
        string? responsibleArea = Sla.ResponsibleArea();
        Contact[] staff = string.IsNullOrEmpty(responsibleArea) ? [] : await GrainFactory.GetGrain<IAreaGrain>(responsibleArea).GetStaffAsync();
        await alerts.PublishAsync(Sla.OverdueAlert(entry, staff, now));
        await Sla.ArmSlaAsync(category);
    }

    private async Task<CaseTransitionResult> ApplyAsync(CaseTransitionRequest request, CaseCategory? category, CaseTransitionRequest? logAs = null)
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
            (units, string? error, CaseOutcome outcome) = await Dispatch.AssignUnitsAsync(request.Assignee, category, now);
            if (units is null)
            {
                return new CaseTransitionResult(outcome, View(), error, Allowed(onSpot)) { Field = outcome == CaseOutcome.Invalid ? "assignee" : null };
            }

            details = Dispatch.DescribeUnits(units);
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
        if (logAs is not null)
        {
            try
            {
                await eventLog.AppendAsync(CaseTransitionLog.Of(logAs, new CaseTransitionResult(CaseOutcome.Ok, null, null, []), next, R.Timeline.Count).ToAppend(R.Id, now));
            }
            catch
            {
                // Not logged, so not applied: back to the stored case.
                await PersistentState.ReadStateAsync();
                throw;
            }

            _transitionLogged = true;
        }

        await PersistAsync("transition", entry);
        var stageEvent = new CaseStageEvent(R.ReportedAt, fromName, CaseNames.Of(next), stageSeconds,
            next == CaseStatus.Closed ? (now - R.ReportedAt).TotalSeconds : null, stageWasOverdue);
        await Aggregates.StageAsync(stageEvent);
        await Dispatch.FollowWithUnitsAsync(request.Action);
        if (category is not null)
        {
            await Sla.ArmSlaAsync(category);
        }
        else
        {
            await Sla.DisarmSlaAsync();
        }

        if (next == CaseStatus.Verified && request.Action == CaseAction.Verify && category is { AutoDispatch: true, Dispatch.Length: > 0 })
        {
            // The plan runs at once; when no unit is free the case waits verified and its SLA escalates it.
            await ApplyAsync(new CaseTransitionRequest(CaseAction.Dispatch, $"{SystemActor}:dispatch-plan", $"Automatic plan of '{category.Id}'."), category);
        }

        CaseView view = View();
        return new CaseTransitionResult(CaseOutcome.Ok, view, null, view.AllowedActions);
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

    private CaseTimelineEntry Append(string action, CaseStatus from, CaseStatus to, string actor, DateTimeOffset at, string? note, string[] evidence, Dictionary<string, string>? details) =>
        Audit.Append(action, from, to, actor, at, note, evidence, details);

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

        Audit.Publish(kind, entry);
    }

    /// <inheritdoc />
    public async Task ResumeSlaAsync()
    {
        if (R.Created && catalogue.Find(R.Category) is { } category)
        {
            await Sla.ArmSlaAsync(category);
        }
    }

    private string[] Allowed(bool onSpot) => CaseStateMachine.Allowed(R.Status, onSpot).Select(CaseNames.Of).ToArray();

    private CaseTransitionResult Invalid(string error, string field, string[] allowed) =>
        new(CaseOutcome.Invalid, View(), error, allowed) { Field = field };

    private CaseView View() => CaseViews.View(R, Allowed(catalogue.Find(R.Category)?.OnSpot == true));
}
