using System.Text.Json;
using System.Text.RegularExpressions;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Cli;
using CityTwin.TwinApi.Ingest;
using CityTwin.TwinApi.Load;
using CityTwin.Grains.Cases;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Short runs of <c>citytwin load</c> that check its bookkeeping, not its speed: every reading, vehicle position and
/// citizen report sent is either accepted or rejected, the event log (and for reports the case store) holds exactly the
/// accepted ones, and the report says so per kind.
/// </summary>
public sealed class LoadHarnessTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_short_in_process_run_accounts_for_every_reading_and_writes_its_report()
    {
        using var dir = new TempDirectory();
        string reportPath = dir.Combine("load.json");
        var output = new StringWriter();

        int code = await LoadCommand.RunAsync(
            ["--buildings", "200", "--rate", "20000", "--duration", "3s", "--batch-size", "500", "--concurrency", "4", "--query-rate", "50",
             "--warmup", "0", "--store", "sqlite", "--connection", dir.Combine("load.db"), "--report", reportPath, "--plain", "--positions-per-1000", "50", "--reports-per-1000", "3"],
            output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        LoadRunReport report = JsonSerializer.Deserialize<LoadRunReport>(await File.ReadAllTextAsync(reportPath), Web)!;
        IngestFigures ingest = report.Ingest;
        Assert.True(ingest.Sent > 0, output.ToString());
        Assert.Equal(ingest.Sent, ingest.Accepted + ingest.Rejected);
        Assert.Equal(ingest.Batches * 500, ingest.Sent);
        Assert.Equal(0, ingest.Rejected);
        Assert.Equal(ingest.Accepted, report.Consistency.Logged);
        Assert.True(report.Consistency.CountsAddUp);
        Assert.True(report.Consistency.NothingLost);
        Assert.Equal(ingest.Batches, ingest.BatchLatency.Count);
        Assert.True(ingest.BatchLatency.P50Ms <= ingest.BatchLatency.P99Ms);
        Assert.Equal(ingest.Accepted, ingest.Kinds[0].Accepted);

        // 25 positions and 1.5 reports ride along with every 500-reading batch.
        Assert.Equal(["readings", "positions", "reports"], ingest.Kinds.Select(k => k.Kind));
        InputKindFigures positions = ingest.Kinds[1], reports = ingest.Kinds[2];
        Assert.Equal(ingest.Batches * 25, positions.Sent);
        Assert.Equal(positions.Requests, ingest.Batches);
        Assert.Equal(ingest.Batches * 3 / 2, reports.Sent, tolerance: 1);
        Assert.Equal(reports.Sent, reports.Requests);
        Assert.All(ingest.Kinds, k => Assert.True(k.Sent > 0 && k.Accepted == k.Sent && k.Rejected == 0, $"{k.Kind}: {k.FirstError}"));
        // Every accepted input was appended; the alerts they raised (geofence entries and exits) are logged beside them.
        Assert.True(ingest.EventLogAppends >= ingest.Accepted + positions.Accepted + reports.Accepted,
            $"{ingest.EventLogAppends} appends for {ingest.Accepted + positions.Accepted + reports.Accepted} inputs");

        // Each kind's log (and for reports the case store) gained exactly what was accepted, as the harness says ...
        Assert.Equal(["reading", "position", "case-report"], report.Consistency.Kinds.Select(k => k.EventLogKind));
        Assert.All(report.Consistency.Kinds, k => Assert.Equal((k.Accepted, true, true), (k.Logged!.Value, k.CountsAddUp, k.NothingLost!.Value)));
        Assert.Equal(reports.Accepted, report.Consistency.Kinds[2].Stored);

        // ... and as the store itself says, read back after the run (no warm-up, so everything logged was measured).
        await using (SiloStore store = await SiloStore.OpenAsync(new StoreOptions { Kind = StoreKind.Sqlite, ConnectionString = dir.Combine("load.db") }))
        {
            Assert.Equal(ingest.Accepted, await store.EventLog.CountAsync(TelemetryIngest.ReadingKind));
            Assert.Equal(positions.Accepted, await store.EventLog.CountAsync(VehicleIngest.PositionKind));
            Assert.Equal(reports.Accepted, await store.EventLog.CountAsync(CaseReportIngest.ReportKind));
            var cases = new CaseIndex();
            await cases.RestoreAsync(store.States);
            Assert.Equal(reports.Accepted, ReportedCases(cases));
        }

        DistrictFigures district = report.District!;
        Assert.Equal(200, district.Buildings);
        Assert.True(district.Sensors > 0);
        Assert.True(ingest.GrainCount >= district.Buildings + district.Sensors);
        Assert.True(district.RssAfterLoadBytes > 0 && report.Memory.PeakRssBytes > 0 && report.Memory.ManagedHeapAtEndBytes > 0);

        QueryFigures queries = report.Queries!;
        Assert.True(queries.Succeeded > 0, queries.FirstError);
        Assert.Equal(0, queries.Failed);
        Assert.Equal(queries.Sent, queries.Succeeded + queries.Failed);
        Assert.True(queries.MeanFeatures > 0);
        Assert.True(queries.Floor is { Count: > 0 }, "the latency floor (GET /health/live) ran beside the queries");
        Assert.Contains("query floor     GET /health/live", output.ToString());

        Assert.False(report.Baseline.Ran);
        Assert.Contains("--baseline-connection", report.Baseline.Note);
        Assert.Contains("consistency     counts add up: yes; nothing lost: yes", output.ToString());
        Assert.Matches(@"reports +sent [\d,]+ = accepted [\d,]+ \+ rejected 0: yes; event log \+[\d,]+ \(case-report\), case store \+[\d,]+; nothing lost: yes", output.ToString());
    }

    [Fact]
    public async Task A_postgres_run_logs_exactly_the_accepted_readings_and_runs_the_baseline_with_the_same_readings()
    {
        await using PostgresDatabase database = await PostgresDatabase.CreateAsync();
        var options = new LoadOptions
        {
            Buildings = 150,
            Rate = 10_000,
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(0.5),
            BatchSize = 250,
            Concurrency = 4,
            Mix = new LoadMix(40, 4),
            Store = CityTwin.Silo.Storage.StoreKind.Postgres,
            // Activation reads each grain's state on its own pooled connection; a small pool keeps this test from taking
            // every connection the shared test server allows while other tests run.
            Connection = database.ConnectionString + ";Maximum Pool Size=20",
            BaselineDuration = TimeSpan.FromSeconds(1),
            // The per-reading baseline recreates the same tables; LoadHarnessTests checks it on its own.
            PerReadingBaseline = false,
            Interactive = false,
        };

        LoadRunReport report = await LoadRunner.RunAsync(options, new LoadConsoleView(new StringWriter(), interactive: false));

        Assert.True(report.Ingest.Accepted > 0, report.Ingest.FirstError);
        Assert.Equal(report.Ingest.Sent, report.Ingest.Accepted + report.Ingest.Rejected);
        Assert.Equal(0, report.Ingest.Rejected);
        Assert.True(report.Consistency.NothingLost);
        Assert.Equal(report.Ingest.Accepted, report.Consistency.Logged);

        // The warm-up's readings are logged too, before the measured period's count starts.
        Assert.Equal(report.Consistency.EventLogAfter, await CountAsync(database, $"SELECT count(*) FROM event_log WHERE kind = '{TelemetryIngest.ReadingKind}'"));
        Assert.All(report.Consistency.Kinds, k => Assert.True(k.NothingLost, $"{k.Kind}: accepted {k.Accepted}, logged {k.Logged}, stored {k.Stored}"));
        Assert.True(report.Ingest.Kinds[1].Accepted > 0);
        Assert.True(await CountAsync(database, $"SELECT count(*) FROM event_log WHERE kind = '{VehicleIngest.PositionKind}'") >= report.Ingest.Kinds[1].Accepted);

        BaselineFigures baseline = report.Baseline;
        Assert.True(baseline.Ran, baseline.Note);
        Assert.True(baseline.Readings > 0);
        Assert.Equal(baseline.Batches * 250, baseline.Readings);
        Assert.Equal(baseline.Readings, await CountAsync(database, "SELECT count(*) FROM load_baseline_readings"));
        Assert.Equal(report.District!.Sensors, await CountAsync(database, "SELECT count(*) FROM load_baseline_sensors"));
        Assert.True(await CountAsync(database, "SELECT count(*) FROM load_baseline_sensors WHERE value IS NOT NULL") > 0);
        Assert.NotNull(baseline.Ratio);
    }

    [Fact]
    public async Task The_per_reading_baseline_commits_each_reading_on_its_own()
    {
        await using PostgresDatabase database = await PostgresDatabase.CreateAsync();
        var options = new LoadOptions
        {
            Buildings = 100,
            Rate = 2_000,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.Zero,
            BatchSize = 100,
            Concurrency = 2,
            BaselineConnection = database.ConnectionString,
            BaselineDuration = TimeSpan.FromSeconds(1),
            BatchedBaseline = false,
            Interactive = false,
        };

        LoadRunReport report = await LoadRunner.RunAsync(options, new LoadConsoleView(new StringWriter(), interactive: false));

        Assert.False(report.Baseline.Ran);
        BaselineFigures perReading = Assert.IsType<BaselineFigures>(report.PerReadingBaseline);
        Assert.True(perReading.Ran, perReading.Note);
        Assert.True(perReading.Readings > 0);
        Assert.Equal(perReading.Readings, await CountAsync(database, "SELECT count(*) FROM load_baseline_readings"));
        Assert.Equal(perReading.Readings, perReading.BatchLatency.Count);
        Assert.NotNull(perReading.Ratio);
    }

    [Fact]
    public async Task Driving_a_running_server_over_http_accounts_for_every_reading()
    {
        var output = new StringWriter();
        IEventLog log = server.Host.Store.EventLog;
        (long readings, long positions, long reports, int cases) before =
            (await log.CountAsync(TelemetryIngest.ReadingKind), await log.CountAsync(VehicleIngest.PositionKind), await log.CountAsync(CaseReportIngest.ReportKind), ReportedCases());

        // The fixture serves the default 300-building, seed-7 district, so the harness generates the same sensor ids.
        int code = await LoadCommand.RunAsync(
            ["--target", server.BaseAddress.AbsoluteUri, "--api-key", TwinServerFixture.OperatorKey, "--buildings", "300", "--seed", "7",
             "--rate", "5000", "--duration", "2s", "--warmup", "0s", "--batch-size", "250", "--concurrency", "2", "--plain",
             "--positions-per-1000", "40", "--reports-per-1000", "4"],
            output, CancellationToken.None);

        string text = output.ToString();
        Assert.True(code == 0, text);
        Assert.Matches(@"counts +sent [\d,]+ = accepted [\d,]+ \+ rejected 0", text);
        Assert.Contains("the event log is not counted over HTTP", text);
        Assert.Matches(@"positions +sent [1-9][\d,]* = accepted [\d,]+ \+ rejected 0: yes", text);

        // Reports opened cases the harness counted through GET /api/cases: one per accepted report.
        Match reports = Regex.Match(text, @"reports +sent ([\d,]+) = accepted ([\d,]+) \+ rejected 0: yes; event log not counted, case store \+([\d,]+); nothing lost: yes");
        Assert.True(reports.Success, text);
        Assert.NotEqual("0", reports.Groups[1].Value);
        Assert.Equal(reports.Groups[2].Value, reports.Groups[3].Value);

        // The server's own event log and case store gained exactly what the harness was told was accepted (no warm-up,
        // and no other test writes to this fixture's server meanwhile).
        long acceptedReadings = Number(Regex.Match(text, @"counts +sent [\d,]+ = accepted ([\d,]+)"));
        long acceptedPositions = Number(Regex.Match(text, @"positions +sent [\d,]+ = accepted ([\d,]+)"));
        long acceptedReports = Number(reports, 2);
        Assert.True(acceptedReadings > 0 && acceptedPositions > 0 && acceptedReports > 0, text);
        Assert.Equal(before.readings + acceptedReadings, await log.CountAsync(TelemetryIngest.ReadingKind));
        Assert.Equal(before.positions + acceptedPositions, await log.CountAsync(VehicleIngest.PositionKind));
        Assert.Equal(before.reports + acceptedReports, await log.CountAsync(CaseReportIngest.ReportKind));
        Assert.Equal(before.cases + acceptedReports, ReportedCases());
    }

    /// <summary>Cases in the server's case store reported by citizens or the hotline (as the harness's reports are), not opened by alarms.</summary>
    [Theory]
    [InlineData("--buildings|lots")]
    [InlineData("--rate|-5")]
    [InlineData("--duration|soon")]
    [InlineData("--store|floppy")]
    [InlineData("--store|postgres")]
    [InlineData("--target|ftp://x")]
    [InlineData("--target|http://127.0.0.1:1|--store|sqlite")]
    [InlineData("--colour|red")]
    public async Task Bad_arguments_fail_with_exit_code_2(string args)
    {
        int code = await LoadCommand.RunAsync(args.Split('|'), new StringWriter(), CancellationToken.None);

        Assert.Equal(2, code);
    }

    private int ReportedCases() => ReportedCases(server.Services.GetRequiredService<CaseIndex>());

    private static int ReportedCases(CaseIndex cases) =>
        cases.Query(new CaseQuery(Source: CaseSource.Citizen), 1, 1).Total + cases.Query(new CaseQuery(Source: CaseSource.Hotline), 1, 1).Total;

    private static long Number(Match match, int group = 1)
    {
        Assert.True(match.Success, "the harness printed no such count");
        return long.Parse(match.Groups[group].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountAsync(PostgresDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
