using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Cases;

/// <summary>
/// The counting part of a case grain: tells the area aggregates (grid, community, street, district) and the cell
/// aggregate of the case's reports, stage changes and first overdue stages, after the case was stored.
/// </summary>
internal sealed class CaseAggregates(IPersistentState<CaseRecord> record, IGrainFactory grainFactory, ILogger logger)
{
    private CaseRecord R => record.State;

    private IGrainFactory GrainFactory => grainFactory;

    /// <summary>Counts a new report by each area of the case and by its cell.</summary>
    public async Task ReportedAsync(CaseReportedEvent reported)
    {
        foreach (string area in Areas())
        {
            await CountAsync(GrainFactory.GetGrain<ICaseAreaStatsGrain>(area).RecordReportedAsync(reported));
        }

        if (R.CellId is not null)
        {
            await CountAsync(GrainFactory.GetGrain<ICaseCellStatsGrain>(R.CellId).RecordReportedAsync(reported));
        }
    }

    /// <summary>Counts a stage that went overdue by each area of the case.</summary>
    public async Task OverdueAsync(CaseOverdueEvent overdue)
    {
        foreach (string area in Areas())
        {
            await CountAsync(GrainFactory.GetGrain<ICaseAreaStatsGrain>(area).RecordOverdueAsync(overdue));
        }
    }

    /// <summary>Counts a stage change (and its time in stage) by each area of the case.</summary>
    public async Task StageAsync(CaseStageEvent stageEvent)
    {
        foreach (string area in Areas())
        {
            await CountAsync(GrainFactory.GetGrain<ICaseAreaStatsGrain>(area).RecordStageAsync(stageEvent));
        }
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
}
