using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>One case of the loop (key: case id): its report, status, assignment, SLA clock and immutable timeline.</summary>
public interface ICaseGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the case from a report (idempotent: a case already opened is returned as it is). Runs the category's
    /// automatic steps: sensor alarms are verified at once, and auto-dispatch categories go to the nearest able unit.
    /// </summary>
    Task<CaseView> ReportAsync(CaseReport report);

    /// <summary>Applies an action; illegal actions change nothing and answer with the allowed ones.</summary>
    Task<CaseTransitionResult> TransitionAsync(CaseTransitionRequest request);

    /// <summary>The case with its whole timeline, or null when it was never reported.</summary>
    Task<CaseView?> GetAsync();

    /// <summary>Merges a repeated alert into the case; false when the case is closed or rejected (a new case is needed).</summary>
    Task<bool> JoinAlertAsync(Alert alert);

    /// <summary>Arms the SLA clock of the current stage again (a fork whose scenario lets carried-over cases' clocks run).</summary>
    Task ResumeSlaAsync();
}
