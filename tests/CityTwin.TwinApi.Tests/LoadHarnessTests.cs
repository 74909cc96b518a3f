using System.Text.Json;
using CityTwin.TestSupport;
using CityTwin.TwinApi.Cli;
using CityTwin.TwinApi.Ingest;
using CityTwin.TwinApi.Load;
using Npgsql;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// Short runs of <c>citytwin load</c> that check its bookkeeping, not its speed: every reading sent is either accepted or
/// rejected, the event log holds exactly the accepted ones (these runs are far below overload), and the report says so.
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
             "--warmup", "0.5s", "--store", "memory", "--report", reportPath, "--plain"],
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
        Assert.Equal(ingest.Accepted, ingest.EventLogAppends);

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

        Assert.False(report.Baseline.Ran);
        Assert.Contains("--baseline-connection", report.Baseline.Note);
        Assert.Contains("consistency     counts add up: yes", output.ToString());
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
            Store = Silo.Storage.StoreKind.Postgres,
            // Activation reads each grain's state on its own pooled connection; a small pool keeps this test from taking
            // every connection the shared test server allows while other tests run.
            Connection = database.ConnectionString + ";Maximum Pool Size=20",
            BaselineDuration = TimeSpan.FromSeconds(1),
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
    public async Task Driving_a_running_server_over_http_accounts_for_every_reading()
    {
        var output = new StringWriter();

        // The fixture serves the default 300-building, seed-7 district, so the harness generates the same sensor ids.
        int code = await LoadCommand.RunAsync(
            ["--target", server.BaseAddress.AbsoluteUri, "--api-key", TwinServerFixture.OperatorKey, "--buildings", "300", "--seed", "7",
             "--rate", "5000", "--duration", "2s", "--warmup", "0.5s", "--batch-size", "250", "--concurrency", "2", "--plain"],
            output, CancellationToken.None);

        string text = output.ToString();
        Assert.True(code == 0, text);
        Assert.Matches(@"counts +sent [\d,]+ = accepted [\d,]+ \+ rejected 0", text);
        Assert.Contains("the event log is not counted over HTTP", text);
    }

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

    private static async Task<long> CountAsync(PostgresDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
