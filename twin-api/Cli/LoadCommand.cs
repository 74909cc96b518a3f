using System.Globalization;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Hosting;
using CityTwin.TwinApi.Load;

namespace CityTwin.TwinApi.Cli;

/// <summary>
/// <c>citytwin load</c>: generates and activates a district, drives telemetry at a rate through the server's ingest paths
/// (sensor readings, with vehicle positions and citizen reports at set ratios),
/// runs the plain-PostgreSQL baseline with the same readings, and prints (and with --report writes) the figures.
/// </summary>
public static class LoadCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: citytwin load [--buildings 2000] [--sensors-per-building 6.5] [--rate 10000|max] [--duration 30s]
                             [--store memory|sqlite|postgres] [--connection <string>] [--target http://host:port[,…]]
                             [--query-rate 0] [--baseline-connection <npgsql string>] [--no-baseline] [--report out.json]
                             [--batch-size 1000] [--concurrency 8] [--seed 7] [--size-km 5] [--baseline-duration <d>]
                             [--baseline both|batched|per-reading]
                             [--query-radius 500] [--api-key demo-operator-key] [--warmup 10s] [--plain]
                             [--positions-per-1000 20] [--reports-per-1000 0.1]

          --rate          readings/s to send ("max": as fast as acknowledgements come)
          --duration      how long to drive telemetry: seconds, or 90s / 2m
          --warmup        unmeasured telemetry and queries before the measured period (0 for none)
          --positions-per-1000  vehicle positions sent with every 1,000 readings (POST /api/vehicles/positions path)
          --reports-per-1000    citizen reports sent with every 1,000 readings (POST /api/cases path); see docs/PERFORMANCE.md
          --target        drive a running server over HTTP (POST /api/telemetry, /api/vehicles/positions, /api/cases)
                          instead of an in-process one; several addresses (the silos of one cluster), separated by
                          commas, take the requests in turn, and queries and counts go through the first
          --query-rate    500 m radius queries/s (GET /api/entities?type=sensor&near=…) issued during the load
          --baseline-connection  PostgreSQL for the plain-database baselines, run after the twin with the same readings: batched
                          (one transaction per batch), then one committed upsert per reading (default: --connection with --store postgres)
          --baseline      which baselines run: both (default), batched or per-reading
          --plain         plain progress lines instead of live bars (automatic when output is redirected)
        exit codes: 0 done, 1 the run failed or its counts did not add up (inputs lost or double-counted), 2 bad arguments
        """;

    private static readonly string[] Known =
    [
        "buildings", "sensors-per-building", "rate", "duration", "store", "connection", "report", "target", "query-rate", "query-radius",
        "baseline", "baseline-connection", "baseline-duration", "warmup", "batch-size", "concurrency", "seed", "size-km", "api-key",
        "positions-per-1000", "reports-per-1000",
    ];

    /// <summary>Runs the verb with the arguments after <c>load</c>; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, CancellationToken.None);

    /// <summary>Runs the verb writing to <paramref name="output"/> (tests capture it); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        LoadOptions options;
        try
        {
            options = Parse(args, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync($"citytwin: {e.Message}\n{Usage}");
            return 2;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl-C ends the run early and still reports; a second one kills the process as usual.
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var view = new LoadConsoleView(output, options.Interactive);
            LoadRunReport report = await LoadRunner.RunAsync(options, view, cancel.Token);
            foreach (string line in LoadRunner.Summarize(report))
            {
                await output.WriteLineAsync(line);
            }

            if (options.ReportPath is not null)
            {
                await LoadRunner.WriteJsonAsync(report, options.ReportPath, CancellationToken.None);
                await output.WriteLineAsync($"report written to {options.ReportPath}");
            }

            return report.Consistency.CountsAddUp && report.Consistency.NothingLost != false ? 0 : 1;
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync($"citytwin: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            // A store that cannot be opened, a target that does not answer: the message says which; a stack trace would not help.
            await Console.Error.WriteLineAsync($"citytwin: load failed: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Parses and checks the options; every error names the option.</summary>
    public static LoadOptions Parse(string[] args, bool interactive)
    {
        var a = new CliArguments("load", args, Known, ["no-baseline", "plain"]);
        if (a.Positional.Count > 0)
        {
            throw new CommandLineException($"load: unexpected argument '{a.Positional[0]}'.");
        }

        string baselines = a.Get("baseline") ?? "both";
        if (baselines is not ("both" or "batched" or "per-reading"))
        {
            throw new CommandLineException($"--baseline must be both, batched or per-reading; got '{baselines}'.");
        }

        string storeText = a.Get("store") ?? "memory";
        if (!Enum.TryParse(storeText, ignoreCase: true, out StoreKind store) || !Enum.IsDefined(store))
        {
            throw new CommandLineException($"load: unknown store '{storeText}': use memory, sqlite or postgres.");
        }

        string? connection = a.Get("connection");
        if (store == StoreKind.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            throw new CommandLineException("load: --store postgres needs --connection \"Host=...;Username=...;Database=...\".");
        }

        var targets = new List<Uri>();
        if (a.Get("target") is { } targetText)
        {
            foreach (string one in targetText.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(one, UriKind.Absolute, out Uri? target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
                {
                    throw new CommandLineException($"load: --target must be one or more http:// or https:// addresses, separated by commas; got '{one}'.");
                }

                targets.Add(target);
            }

            if (a.Has("store") || a.Has("connection"))
            {
                throw new CommandLineException("load: --target drives a running server, whose store is its own; drop --store/--connection.");
            }
        }

        return new LoadOptions
        {
            Buildings = a.GetInt("buildings", 2_000, 1, 2_000_000),
            SensorsPerBuilding = a.GetDouble("sensors-per-building", DistrictSizing.DefaultSensorsPerBuilding, 0.1, 100),
            Seed = a.GetInt("seed", 7, int.MinValue, int.MaxValue),
            SizeKm = a.GetDouble("size-km", 5, 0.5, 100),
            Rate = ParseRate(a.Get("rate")),
            Duration = ParseDuration("duration", a.Get("duration")) ?? TimeSpan.FromSeconds(30),
            Warmup = ParseDuration("warmup", a.Get("warmup"), allowZero: true) ?? LoadOptions.DefaultWarmup,
            BatchSize = a.GetInt("batch-size", 1_000, 1, 10_000),
            Concurrency = a.GetInt("concurrency", 8, 1, 1_024),
            Mix = new LoadMix(
                a.GetDouble("positions-per-1000", LoadMix.DefaultPositionsPer1000, 0, 1_000),
                a.GetDouble("reports-per-1000", LoadMix.DefaultReportsPer1000, 0, 100)),
            Store = store,
            Connection = string.IsNullOrWhiteSpace(connection) ? null : connection,
            Targets = targets,
            ApiKey = a.Get("api-key") ?? "demo-operator-key",
            QueryRate = a.GetDouble("query-rate", 0, 0, 1_000_000),
            QueryRadiusM = a.GetDouble("query-radius", 500, 1, 50_000),
            BaselineConnection = a.Get("baseline-connection"),
            BaselineDuration = ParseDuration("baseline-duration", a.Get("baseline-duration")),
            NoBaseline = a.Has("no-baseline"),
            BatchedBaseline = baselines is "both" or "batched",
            PerReadingBaseline = baselines is "both" or "per-reading",
            ReportPath = a.Get("report"),
            Interactive = interactive && !a.Has("plain"),
        };
    }

    private static double? ParseRate(string? text)
    {
        if (text is null)
        {
            return 10_000;
        }

        if (text.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !double.IsFinite(rate) || rate <= 0 || rate > 100_000_000)
        {
            throw new CommandLineException($"--rate must be a positive number of readings per second or 'max'; got '{text}'.");
        }

        return rate;
    }

    private static TimeSpan? ParseDuration(string option, string? text, bool allowZero = false)
    {
        if (text is null)
        {
            return null;
        }

        (string number, double unit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0 || (value == 0 && !allowZero) || value * unit > 86_400)
        {
            string kind = allowZero ? "a duration such as 0, 30, 90s or 2m" : "a positive duration such as 30, 90s or 2m";
            throw new CommandLineException($"--{option} must be {kind} (at most a day); got '{text}'.");
        }

        return TimeSpan.FromSeconds(value * unit);
    }
}
