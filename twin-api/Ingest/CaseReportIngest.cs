using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Json;
using CityTwin.Silo.EventLog;

namespace CityTwin.TwinApi.Ingest;

/// <summary>
/// The case loop's intake of reports (citizens, the 12345 hotline, patrols, cameras) shared by POST /api/cases and the
/// load driver: the report is appended to the event log under a new case id, then the case grain opens the case.
/// </summary>
public static class CaseReportIngest
{
    /// <summary>The event-log kind of case reports (key: the case id).</summary>
    public const string ReportKind = "case-report";

    /// <summary>Logs <paramref name="report"/> durably, opens its case and returns it.</summary>
    public static async Task<CaseView> ReportAsync(IEventLog eventLog, IGrainFactory grains, TimeProvider time, CaseReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventLog);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(report);
        DateTimeOffset now = time.GetUtcNow();
        string id = CaseIds.New(now);
        await eventLog.AppendAsync(new EventAppend(now, ReportKind, id, JsonSerializer.SerializeToUtf8Bytes(report, TwinJson.Options)), cancellationToken);
        return await grains.GetGrain<ICaseGrain>(id).ReportAsync(report);
    }
}
