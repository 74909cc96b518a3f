using System.Globalization;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// The SLA part of a case grain: the durable Orleans reminder that watches the current stage's SLA (on the reminders'
/// clock, so it fires in virtual time in drills and survives restarts), and the escalation an overdue stage causes:
/// one level up (grid, community, street, district), a timeline note and a notice to the staff now responsible.
/// </summary>
internal sealed class CaseSla(Grain grain, IPersistentState<CaseRecord> record, TimeProvider timeProvider, Func<bool> isFrozen)
{
    /// <summary>The name of the case's SLA reminder.</summary>
    public const string SlaReminder = "sla";

    private CaseRecord R => record.State;

    private DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>Sets the reminder to the next escalation of the current stage, or removes it when the stage has no SLA.</summary>
    public async Task ArmSlaAsync(CaseCategory category)
    {
        // A case carried over into a fork keeps its live state and runs no clock there, unless the scenario thawed it.
        if (isFrozen())
        {
            return;
        }

        if (CaseStateMachine.IsTerminal(R.Status) || R.NextEscalationAt is not { } next || category.SlaFor(R.Status) is not { } sla)
        {
            await DisarmSlaAsync();
            return;
        }

        TimeSpan due = next - Now;
        await grain.RegisterOrUpdateReminder(SlaReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, sla);
    }

    /// <summary>Removes the reminder, if any.</summary>
    public async Task DisarmSlaAsync()
    {
        if (await grain.GetReminder(SlaReminder) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Escalates the overdue stage one level (the district is the last) and sets the next escalation one SLA later;
    /// answers the timeline note and details of the escalation.
    /// </summary>
    public (string Note, Dictionary<string, string> Details) Escalate(TimeSpan sla, DateTimeOffset due, DateTimeOffset now)
    {
        AreaKind from = R.Level;
        R.Level = from == AreaKind.District ? AreaKind.District : from - 1;
        R.NextEscalationAt = R.Level == AreaKind.District ? null : now + sla;
        string stage = CaseNames.Of(R.Status);
        string level = CaseViews.LevelName(R.Level);
        string note = from == R.Level
            ? $"Stage '{stage}' is overdue (SLA {sla}); already at district level."
            : $"Stage '{stage}' is overdue (SLA {sla}); escalated from {CaseViews.LevelName(from)} to {level}.";
        return (note, new Dictionary<string, string>
        {
            ["stage"] = stage,
            ["dueAt"] = (R.DueAt ?? due).ToString("O", CultureInfo.InvariantCulture),
            ["fromLevel"] = CaseViews.LevelName(from),
            ["level"] = level,
        });
    }

    /// <summary>The area whose staff handle the case at its current level (the community's, the street's, ...).</summary>
    public string? ResponsibleArea() => R.Level switch
    {
        AreaKind.Grid => R.GridId,
        AreaKind.Community => R.CommunityId,
        AreaKind.Street => R.StreetId,
        _ => R.DistrictId,
    };

    /// <summary>The notice of an escalation (timeline <paramref name="entry"/>) to <paramref name="staff"/>.</summary>
    public Alert OverdueAlert(CaseTimelineEntry entry, Contact[] staff, DateTimeOffset now)
    {
        string stage = CaseNames.Of(R.Status);
        string level = CaseViews.LevelName(R.Level);
        return new Alert(
            $"{R.Id}-escalation-{entry.Sequence}", "alert", "caseOverdue", R.Severity == "critical" ? AlertSeverity.Critical : AlertSeverity.Warning,
            $"Case {R.Id} ({R.Category}) is overdue in stage '{stage}'; now handled at {level} level.", EntityType.Case, R.Id, R.Location, now,
            R.BuildingId, R.GridId, R.CommunityId, R.StreetId, staff,
            new Dictionary<string, string> { ["caseId"] = R.Id, ["stage"] = stage, ["level"] = level, ["category"] = R.Category });
    }
}
