using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Case KPIs of an area over the cases reported from <see cref="From"/> to <see cref="To"/> (whole UTC days). The
/// closure rate is closed / (reported - rejected); the citizen share counts citizen reports and hotline calls.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record KpiReport
{
    /// <summary>The area.</summary>
    public required string Area { get; init; }

    /// <summary>First day included (UTC midnight), or null for all.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the last day included (exclusive), or null for all.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Cases reported.</summary>
    public long Reported { get; init; }

    /// <summary>Reported by source.</summary>
    public required IReadOnlyDictionary<string, long> BySource { get; init; }

    /// <summary>Reported by category.</summary>
    public required IReadOnlyDictionary<string, long> ByCategory { get; init; }

    /// <summary>These cases by current status.</summary>
    public required IReadOnlyDictionary<string, long> ByStatus { get; init; }

    /// <summary>Closed.</summary>
    public long Closed { get; init; }

    /// <summary>Rejected.</summary>
    public long Rejected { get; init; }

    /// <summary>closed / (reported - rejected); null when nothing needed closing.</summary>
    public double? ClosureRate { get; init; }

    /// <summary>Share reported by citizens (app and hotline); null when nothing was reported.</summary>
    public double? CitizenShare { get; init; }

    /// <summary>Cases that missed an SLA at some stage.</summary>
    public long Overdue { get; init; }

    /// <summary>Cases whose current stage is past its SLA.</summary>
    public long OverdueOpen { get; init; }

    /// <summary>Time in each stage (status name).</summary>
    public required IReadOnlyDictionary<string, StageKpi> Stages { get; init; }

    /// <summary>Report to close.</summary>
    public required StageKpi EndToEnd { get; init; }
}
