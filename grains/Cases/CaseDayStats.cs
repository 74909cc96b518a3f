namespace CityTwin.Grains.Cases;

/// <summary>
/// Aggregates of the cases reported in one area on one (UTC) day: counts, the cohort's current statuses, stage-time
/// histograms and report hours. Everything a KPI or heat-map query needs, so queries never touch cases.
/// </summary>
public sealed class CaseDayStats
{
    /// <summary>Cases reported.</summary>
    public int Reported { get; set; }

    /// <summary>Reported cases by source name.</summary>
    public Dictionary<string, int> BySource { get; set; } = [];

    /// <summary>Reported cases by category.</summary>
    public Dictionary<string, int> ByCategory { get; set; } = [];

    /// <summary>The cohort's cases by current status name.</summary>
    public Dictionary<string, int> ByStatus { get; set; } = [];

    /// <summary>Cases that missed some stage's SLA.</summary>
    public int Overdue { get; set; }

    /// <summary>Cases whose current stage is past its SLA.</summary>
    public int OverdueOpen { get; set; }

    /// <summary>Time spent per stage (status name), seconds.</summary>
    public Dictionary<string, DurationHistogram> Stages { get; set; } = [];

    /// <summary>Report to close, seconds.</summary>
    public DurationHistogram EndToEnd { get; set; } = new();

    /// <summary>Reports per UTC hour of the day.</summary>
    public int[] Hours { get; set; } = new int[24];

    /// <summary>Reports per UTC hour of the day, by category.</summary>
    public Dictionary<string, int[]> CategoryHours { get; set; } = [];
}
