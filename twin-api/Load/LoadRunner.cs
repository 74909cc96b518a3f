using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Json;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.EventLog;
using CityTwin.Silo.Storage;
using CityTwin.TwinApi.Hosting;
using CityTwin.TwinApi.Ingest;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// One load run: generate the district, activate it in an in-process server (or use a running one over HTTP), drive
/// telemetry and optional radius queries, check that the counts add up, then run the plain-PostgreSQL baseline with the
/// same readings, and return every figure. The in-process server is the real one (<see cref="TwinServer"/>, Kestrel on
/// a loopback port) with only its demo-district startup replaced, so queries and ingest take the server's own paths.
/// </summary>
public static class LoadRunner
{
    /// <summary>Requests/s of the latency-floor probe (GET /health/live) sent beside the radius queries.</summary>
    public const double FloorRate = 100;

    /// <summary>Runs the load described by <paramref name="options"/>, reporting progress on <paramref name="view"/>.</summary>
    public static async Task<LoadRunReport> RunAsync(LoadOptions options, LoadConsoleView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(view);
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        var notes = new List<string>();

        // The district is reached only through this box, so the in-process run can drop it once the silo holds the twin
        // and the generator's object graph does not count as the twin's memory.
        long generateStarted = Stopwatch.GetTimestamp();
        StrongBox<District?> box = await view.RunPhaseAsync("generate district",
            () => Task.Run(() => new StrongBox<District?>(DistrictGenerator.Generate(DistrictSizing.ToDistrictOptions(options))), cancellationToken),
            () => ($"{options.Buildings:N0} buildings", 0.5));
        double generateSeconds = Stopwatch.GetElapsedTime(generateStarted).TotalSeconds;
        view.Line(Describe(box.Value!, generateSeconds));
        var generator = new TelemetryGenerator(box.Value!, options.Seed);
        var inputs = new MixGenerators(new VehiclePositionGenerator(box.Value!, options.Seed), new CitizenReportGenerator(box.Value!, options.Seed));
        string[] queryUrls = RadiusQueryDriver.BuildUrls(box.Value!, options.QueryRadiusM, options.Seed);

        RunResult result = options.Target is null
            ? await RunInProcessAsync(options, view, box, generator, inputs, queryUrls, notes, cancellationToken)
            : await RunOverHttpAsync(options, view, box, generator, inputs, queryUrls, notes, cancellationToken);
        box.Value = null;
        DistrictFigures? districtFigures = result.District is null ? null : result.District with { GenerateSeconds = Math.Round(generateSeconds, 3) };

        BaselineFigures baseline = options.BatchedBaseline
            ? await RunBaselineAsync(options, view, generator, result.Ingest.AchievedRate, perReading: false, cancellationToken)
            : new BaselineFigures(false, "--baseline per-reading was given", 0, 0, 0, 0, LatencyFigures.Empty, null);
        BaselineFigures? perReadingBaseline = options.PerReadingBaseline
            ? await RunBaselineAsync(options, view, generator, result.Ingest.AchievedRate, perReading: true, cancellationToken)
            : null;
        var settings = new RunSettings(options.Target is null ? "in-process" : $"http {string.Join(", ", options.Targets)}", options.Target is null ? options.Store.ToString().ToLowerInvariant() : "server's",
            options.Buildings, options.SensorsPerBuilding, options.Seed, options.Rate, options.Duration.TotalSeconds, options.Warmup.TotalSeconds, options.BatchSize, options.Concurrency, options.QueryRate);
        return new LoadRunReport(startedAt, Machine(), settings, districtFigures, result.Ingest, result.Consistency, result.Memory, result.Queries, baseline, notes)
        {
            PerReadingBaseline = perReadingBaseline,
        };
    }

    /// <summary>Writes <paramref name="report"/> as indented camelCase JSON.</summary>
    public static async Task WriteJsonAsync(LoadRunReport report, string path, CancellationToken cancellationToken = default)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using FileStream file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, new JsonSerializerOptions(TwinJson.Options) { WriteIndented = true }, cancellationToken);
    }

    /// <summary>The human-readable summary printed at the end of a run.</summary>
    public static IEnumerable<string> Summarize(LoadRunReport r)
    {
        static string Mb(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MB";
        yield return "";
        yield return $"== citytwin load: {r.Settings.Mode}, store {r.Settings.Store}, {r.Machine.ProcessorCount} cores, {r.StartedAt:yyyy-MM-dd HH:mm} UTC ==";
        if (r.District is { } d)
        {
            yield return $"district        {d.Buildings:N0} buildings, {d.Sensors:N0} sensors ({d.SensorsPerBuilding:0.00}/building), {d.Entities:N0} entities";
            // Loading writes every entity's first state and its summary without activating its grain (TwinSeeder): grains
            // activate on first use, so the grains counted here are the silo's own and the few the load itself called.
            yield return $"load            {d.LoadSeconds:0.00} s to a queryable twin of {d.Entities:N0} entities, {d.Activations:N0} grains active after it " +
                         $"(the rest activate on first use), {d.StorageWritesDuringLoad:N0} state writes through grains";
            yield return $"memory (load)   RSS {Mb(d.RssAfterLoadBytes)} after, peak {Mb(d.PeakRssDuringLoadBytes)}; live managed heap {Mb(d.ManagedHeapAfterLoadBytes)}";
        }

        IngestFigures i = r.Ingest;
        string target = i.TargetRate is { } t ? $"{t:N0}/s" : "max";
        yield return $"telemetry       target {target}, achieved {i.AchievedRate:N0} readings/s over {i.DurationSeconds:0.0} s ({i.Batches:N0} batches of {r.Settings.BatchSize:N0})";
        yield return $"counts          sent {i.Sent:N0} = accepted {i.Accepted:N0} + rejected {i.Rejected:N0} (overloaded {i.Overloaded:N0}, failed {i.Failed:N0}); {i.BatchesBehindSchedule:N0} batches behind schedule";
        yield return $"batch latency   p50 {i.BatchLatency.P50Ms:0.0} ms, p99 {i.BatchLatency.P99Ms:0.0} ms, max {i.BatchLatency.MaxMs:0.0} ms";
        yield return $"grains          {i.GrainCount:N0}";
        yield return $"storage         {i.StorageWritesPerSecond:N0} state writes/s, {i.EventLogAppendsPerSecond:N0} event-log appends/s";
        yield return $"mix             {i.Mix}";
        yield return "per kind        kind        requests        sent    accepted    rejected  overloaded  deferred    rate/s   p50 ms   p99 ms";
        foreach (InputKindFigures k in i.Kinds)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"                {k.Kind,-9} {k.Requests,10:N0} {k.Sent,11:N0} {k.Accepted,11:N0} {k.Rejected,11:N0} {k.Overloaded,11:N0} {k.Deferred,9:N0} {k.AchievedRate,9:N1} {k.Latency.P50Ms,8:0.0} {k.Latency.P99Ms,8:0.0}");
        }

        ConsistencyFigures c = r.Consistency;
        static string YesNo(bool? value) => value is { } ok ? ok ? "yes" : "NO" : "not checked";
        yield return $"consistency     counts add up: {(c.CountsAddUp ? "yes" : "NO")}; nothing lost: {YesNo(c.NothingLost)}{(c.Note is null ? "" : " (" + c.Note + ")")}";
        foreach (KindConsistency k in c.Kinds)
        {
            string logged = k.Logged is { } l ? $"event log +{l:N0} ({k.EventLogKind})" : "event log not counted";
            string stored = k.Stored is { } st ? $", case store +{st:N0}" : "";
            yield return $"                {k.Kind,-9} sent {k.Sent:N0} = accepted {k.Accepted:N0} + rejected {k.Rejected:N0}: {(k.CountsAddUp ? "yes" : "NO")}; {logged}{stored}; nothing lost: {YesNo(k.NothingLost)}";
        }

        MemoryFigures m = r.Memory;
        yield return $"memory (run)    {m.Scope}: peak RSS {Mb(m.PeakRssBytes)}, RSS at end {Mb(m.RssAtEndBytes)}, managed heap {Mb(m.ManagedHeapAtEndBytes)} (GC heap {Mb(m.GcHeapSizeBytes)})";
        if (r.Queries is { } q)
        {
            yield return $"radius queries  {q.RadiusM:0} m at {q.TargetRate:N0}/s: achieved {q.AchievedRate:N0}/s, p50 {q.Latency.P50Ms:0.00} ms, p99 {q.Latency.P99Ms:0.00} ms, " +
                         $"{q.MeanFeatures:N0} sensors matched on average, {q.Failed:N0} failed";
            if (q.Floor is { } f)
            {
                yield return $"query floor     GET /health/live at {FloorRate:N0}/s beside the same load: p50 {f.P50Ms:0.00} ms, p99 {f.P99Ms:0.00} ms " +
                             $"(radius p99 / floor p99 = {q.Latency.P99Ms / Math.Max(f.P99Ms, 0.001):0.0}x)";
            }
        }

        BaselineFigures b = r.Baseline;
        yield return b.Ran
            ? $"baseline        plain PostgreSQL {b.Rate:N0} readings/s (batch p50 {b.BatchLatency.P50Ms:0.0} ms, p99 {b.BatchLatency.P99Ms:0.0} ms); ours / baseline = {b.Ratio:0.00}x"
            : $"baseline        not run: {b.Note}";
        if (r.PerReadingBaseline is { Ran: true } p)
        {
            yield return $"per reading     plain PostgreSQL, one committed upsert per reading: {p.Rate:N0} readings/s (p50 {p.BatchLatency.P50Ms:0.00} ms, " +
                         $"p99 {p.BatchLatency.P99Ms:0.00} ms per reading); ours / it = {p.Ratio:0.00}x";
        }
        foreach (InputKindFigures k in i.Kinds.Where(k => k.FirstError is not null))
        {
            yield return $"first error     {k.Kind}: {k.FirstError}";
        }

        foreach (string note in r.Notes)
        {
            yield return $"note            {note}";
        }
    }

    private static async Task<RunResult> RunInProcessAsync(LoadOptions options, LoadConsoleView view, StrongBox<District?> district, TelemetryGenerator generator,
        MixGenerators inputs, string[] queryUrls, List<string> notes, CancellationToken cancellationToken)
    {
        await using var memory = new MemorySampler(TimeSpan.FromMilliseconds(200));
        LoadProgress? loadProgress = null;
        int total = (int)Math.Min(int.MaxValue, district.Value!.Counts.Grains);
        var startup = new LoadDistrictStartup(district.Value, memory, new Progress<LoadProgress>(p => loadProgress = p));
        district.Value = null;
        string key = "load-" + Guid.NewGuid().ToString("N");
        var args = new List<string>
        {
            "--store", options.Store.ToString().ToLowerInvariant(), "--urls", "http://127.0.0.1:0", $"--Auth:Keys:{key}", "operator",
            "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft", "Warning",

            // The harness drives its own inputs; the demo profile's simulated traffic would blur the figures.
            "--Simulation:Enabled", "false",
        };
        if (options.Connection is not null)
        {
            args.AddRange(["--connection", options.Connection]);
        }

        WebApplication app = await TwinServer.BuildAsync(args.ToArray(), builder =>
        {
            // Only the demo-district startup is replaced; any other startup task keeps its place in the order.
            for (int i = 0; i < builder.Services.Count; i++)
            {
                if (builder.Services[i].ServiceType == typeof(ISiloStartupTask) && builder.Services[i].ImplementationType == typeof(DistrictStartup))
                {
                    builder.Services[i] = ServiceDescriptor.Singleton<ISiloStartupTask>(startup);
                }
            }
        });
        await using (app)
        {
            await view.RunPhaseAsync("activate district", () => app.StartAsync(cancellationToken),
                () => loadProgress is { } p ? ($"{p.Stage} {p.Done:N0}/{p.Total:N0}", Math.Min(1.0, (double)p.Done / Math.Max(1, p.Total))) : ("starting silo", 0));
            DistrictFigures figures = startup.Figures ?? throw new InvalidOperationException("The district startup did not run.");
            if (figures.Entities < total)
            {
                notes.Add($"the loader initialised {figures.Entities:N0} of {total:N0} generated grains");
            }

            IServiceProvider services = app.Services;
            StateWriteCounter stateWrites = services.GetRequiredService<StateWriteCounter>();
            SiloStatisticsReader statistics = services.GetRequiredService<SiloStatisticsReader>();
            IEventLog eventLog = services.GetRequiredService<IEventLog>();
            CaseIndex cases = services.GetRequiredService<CaseIndex>();
            var ingest = services.GetRequiredService<TelemetryIngest>();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using HttpClient client = CreateClient(new Uri(address), key);

            var target = new InProcessTelemetryTarget(ingest, services.GetRequiredService<TwinDirectory>(), services.GetRequiredService<IGrainFactory>(), eventLog,
                services.GetRequiredService<DeliveryWatermark>(), services.GetRequiredService<TimeProvider>());
            await WarmUpAsync(options, view, target, generator, inputs, client, queryUrls, cancellationToken);
            EventLogCounts logBefore = await EventLogCounts.ReadAsync(eventLog, cancellationToken);
            long casesBefore = CitizenCases(cases);
            long writesBefore = stateWrites.Writes;
            long appendsBefore = eventLog.Statistics.Writes;
            memory.ResetPeak();
            var driver = new TelemetryDriver(target, generator, options.BatchSize, options.Concurrency, options.Mix, inputs.Positions, inputs.Reports);
            (TimeSpan elapsed, QueryFigures? queries) = await DriveAsync(options, view, driver, client, queryUrls, cancellationToken);
            SiloStatistics after = await statistics.ReadAsync();
            long writes = stateWrites.Writes - writesBefore;
            long appends = eventLog.Statistics.Writes - appendsBefore;

            // Deferred readings are accepted and logged but still on their way to their grains: wait for them before
            // the grains are counted and the silo stops.
            await WaitForBacklogAsync(ingest, cancellationToken);
            EventLogCounts logAfter = await EventLogCounts.ReadAsync(eventLog, cancellationToken);
            long casesAfter = CitizenCases(cases);
            MemoryFigures memoryFigures = memory.Snapshot("this process: silo, HTTP server and driver");
            if (options.Store == StoreKind.Memory)
            {
                notes.Add("the memory store keeps every event-log record in process memory, so RSS grows with the inputs sent");
            }

            IngestFigures ingestFigures = driver.Summarize(options.Rate, elapsed, options.Mix.Describe()) with
            {
                GrainCount = after.Activations,
                StorageWrites = writes,
                StorageWritesPerSecond = Math.Round(writes / elapsed.TotalSeconds, 1),
                EventLogAppends = appends,
                EventLogAppendsPerSecond = Math.Round(appends / elapsed.TotalSeconds, 1),
            };
            InputKindFigures readings = ingestFigures.Kinds[0], positions = ingestFigures.Kinds[1], reports = ingestFigures.Kinds[2];
            long logged = logAfter.Readings - logBefore.Readings;
            KindConsistency[] kinds =
            [
                Check(readings, TelemetryIngest.ReadingKind, logged, null),
                Check(positions, VehicleIngest.PositionKind, logAfter.Positions - logBefore.Positions, null),
                Check(reports, CaseReportIngest.ReportKind, logAfter.Reports - logBefore.Reports, casesAfter - casesBefore),
            ];
            var consistency = new ConsistencyFigures(logBefore.Readings, logAfter.Readings, logged, logged - ingestFigures.Accepted,
                kinds.All(k => k.CountsAddUp), kinds.All(k => k.NothingLost == true),
                kinds.FirstOrDefault(k => k.NothingLost == false) is { } bad ? $"{bad.Kind}: {bad.Accepted:N0} accepted, {bad.Logged:N0} logged, {bad.Stored?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a"} stored" : null,
                kinds);

            long stopStarted = Stopwatch.GetTimestamp();
            await view.RunPhaseAsync("stop silo", () => app.StopAsync(CancellationToken.None), () => ("writing changed grain state", 0.5));
            notes.Add($"stopping the silo (writing changed state of {after.Activations:N0} grains) took {Stopwatch.GetElapsedTime(stopStarted).TotalSeconds:0.0} s");
            return new RunResult(figures, ingestFigures, consistency, memoryFigures, queries);
        }
    }

    private static async Task<RunResult> RunOverHttpAsync(LoadOptions options, LoadConsoleView view, StrongBox<District?> district, TelemetryGenerator generator,
        MixGenerators inputs, string[] queryUrls, List<string> notes, CancellationToken cancellationToken)
    {
        HttpClient[] clients = [.. options.Targets.Select(t => CreateClient(t, options.ApiKey))];
        try
        {
            return await RunOverHttpAsync(options, view, district, generator, inputs, queryUrls, notes, clients, cancellationToken);
        }
        finally
        {
            foreach (HttpClient c in clients)
            {
                c.Dispose();
            }
        }
    }

    // Over several targets (the silos of one cluster) the requests go to each in turn; queries and the case count go
    // through the first, and the servers' counters are summed over all.
    private static async Task<RunResult> RunOverHttpAsync(LoadOptions options, LoadConsoleView view, StrongBox<District?> district, TelemetryGenerator generator,
        MixGenerators inputs, string[] queryUrls, List<string> notes, HttpClient[] clients, CancellationToken cancellationToken)
    {
        HttpClient client = clients[0];
        string lastSensor = generator.SensorIds[^1];
        district.Value = null;
        foreach (HttpClient each in clients)
        {
            using HttpResponseMessage probe = await each.GetAsync($"api/entities/sensor/{lastSensor}", cancellationToken);
            if (!probe.IsSuccessStatusCode)
            {
                throw new CommandLineException(
                    $"load: the server at {each.BaseAddress} has no sensor '{lastSensor}' (HTTP {(int)probe.StatusCode}); start it on a district generated with the same " +
                    $"options, e.g. `citytwin serve --District:Buildings {options.Buildings} --District:Seed {options.Seed}` (default sensor mix) or --district <file>.");
            }
        }

        notes.Add("the district was loaded by the server; activation time and the server's memory are not measured over HTTP (memory figures are the driver's)");
        if (clients.Length > 1)
        {
            notes.Add($"requests went to {clients.Length} servers in turn; state writes, event-log appends and activations are summed over them");
        }

        var target = new HttpTelemetryTarget(clients);
        await WarmUpAsync(options, view, target, generator, inputs, client, queryUrls, cancellationToken);
        JsonElement?[] healthBefore = await Task.WhenAll(clients.Select(c => HealthAsync(c, cancellationToken)));
        long casesBefore = await CitizenCasesAsync(client, cancellationToken);
        await using var memory = new MemorySampler(TimeSpan.FromMilliseconds(200));
        var driver = new TelemetryDriver(target, generator, options.BatchSize, options.Concurrency, options.Mix, inputs.Positions, inputs.Reports);
        (TimeSpan elapsed, QueryFigures? queries) = await DriveAsync(options, view, driver, client, queryUrls, cancellationToken);
        JsonElement?[] healthAfter = await Task.WhenAll(clients.Select(c => HealthAsync(c, cancellationToken)));
        long casesAfter = await CitizenCasesAsync(client, cancellationToken);
        static long Stat(JsonElement?[] healths, string section, string name) => healths.Sum(health =>
            health is { } h && h.TryGetProperty(section, out JsonElement s) && s.ValueKind == JsonValueKind.Object
            && s.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : 0);
        long writes = Stat(healthAfter, "store", "stateWrites") - Stat(healthBefore, "store", "stateWrites");
        long appends = Stat(healthAfter, "silo", "eventLogAppends") - Stat(healthBefore, "silo", "eventLogAppends");
        if (healthAfter.Any(h => h is not { } after || !after.TryGetProperty("store", out JsonElement storeHealth) || storeHealth.ValueKind != JsonValueKind.Object
            || !storeHealth.TryGetProperty("stateWrites", out JsonElement counted) || counted.ValueKind != JsonValueKind.Number))
        {
            notes.Add("a server's /health reports no grain-state writes (store.stateWrites), so its state writes are counted as 0");
        }

        IngestFigures ingestFigures = driver.Summarize(options.Rate, elapsed, options.Mix.Describe()) with
        {
            GrainCount = Stat(healthAfter, "silo", "activations"),
            StorageWrites = writes,
            StorageWritesPerSecond = Math.Round(writes / elapsed.TotalSeconds, 1),
            EventLogAppends = appends,
            EventLogAppendsPerSecond = Math.Round(appends / elapsed.TotalSeconds, 1),
        };
        KindConsistency[] kinds =
        [
            Check(ingestFigures.Kinds[0], null, null, null),
            Check(ingestFigures.Kinds[1], null, null, null),
            Check(ingestFigures.Kinds[2], null, null, casesAfter - casesBefore),
        ];
        var consistency = new ConsistencyFigures(null, null, null, null, kinds.All(k => k.CountsAddUp), kinds[2].NothingLost,
            "the event log is not counted over HTTP; citizen reports are counted in the case store (GET /api/cases)", kinds);
        return new RunResult(null, ingestFigures, consistency, memory.Snapshot("the driver process only"), queries);
    }

    private static async Task WarmUpAsync(LoadOptions options, LoadConsoleView view, ITelemetryTarget target, TelemetryGenerator generator, MixGenerators inputs,
        HttpClient client, string[] queryUrls, CancellationToken cancellationToken)
    {
        if (options.Warmup <= TimeSpan.Zero)
        {
            return;
        }

        // Same rate, same mix, same paths, separate counters: the measured period starts warm.
        var driver = new TelemetryDriver(target, generator, options.BatchSize, options.Concurrency, options.Mix, inputs.Positions, inputs.Reports);
        await DriveAsync(options with { Duration = options.Warmup }, view, driver, client, queryUrls, cancellationToken, "warm-up");
    }

    /// <summary>The check of one kind: counts add up, and the log (and store) gained exactly the accepted items where counted.</summary>
    private static KindConsistency Check(InputKindFigures k, string? logKind, long? logged, long? stored)
    {
        bool? nothingLost = logged is null && stored is null ? null : (logged ?? k.Accepted) == k.Accepted && (stored ?? k.Accepted) == k.Accepted;
        return new KindConsistency(k.Kind, logKind, k.Sent, k.Accepted, k.Rejected, logged, stored, k.Sent == k.Accepted + k.Rejected, nothingLost);
    }

    /// <summary>Cases opened by citizens and the hotline (the harness's reports; sensor alerts open cases of other sources).</summary>
    private static long CitizenCases(CaseIndex index)
    {
        return index.Query(new CaseQuery(Source: CaseSource.Citizen), 1, 1).Total + index.Query(new CaseQuery(Source: CaseSource.Hotline), 1, 1).Total;
    }

    private static async Task<long> CitizenCasesAsync(HttpClient client, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (string source in new[] { "citizen", "hotline" })
        {
            using JsonDocument page = JsonDocument.Parse(await client.GetStringAsync($"api/cases?source={source}&pageSize=1", cancellationToken));
            total += page.RootElement.GetProperty("total").GetInt64();
        }

        return total;
    }

    private static async Task WaitForBacklogAsync(TelemetryIngest ingest, CancellationToken cancellationToken)
    {
        for (int i = 0; ingest.Backlog > 0 && i < 600; i++)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<(TimeSpan Elapsed, QueryFigures? Queries)> DriveAsync(LoadOptions options, LoadConsoleView view, TelemetryDriver driver,
        HttpClient client, string[] queryUrls, CancellationToken cancellationToken, string phase = "telemetry")
    {
        using var stopQueries = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queryDriver = options.QueryRate > 0 ? new RadiusQueryDriver(client, queryUrls, options.QueryRadiusM) : null;
        Task<QueryFigures>? queries = queryDriver?.RunAsync(options.QueryRate, stopQueries.Token);

        // The floor: a request that does no work, beside the same load, so the radius queries' tail can be read against
        // what any answer costs on this machine at this moment.
        Task<QueryFigures>? floor = queryDriver is null ? null
            : new RadiusQueryDriver(client, ["health/live"], 0, senders: 16).RunAsync(FloorRate, stopQueries.Token);
        long started = Stopwatch.GetTimestamp();
        long lastAccepted = 0;
        double lastTime = 0, currentRate = 0;
        TimeSpan elapsed = await view.RunPhaseAsync(phase, async () =>
        {
            try
            {
                return await driver.RunAsync(options.Rate, options.Duration, cancellationToken);
            }
            finally
            {
                await stopQueries.CancelAsync();
            }
        }, () =>
        {
            double now = Stopwatch.GetElapsedTime(started).TotalSeconds;
            long accepted = driver.Accepted;
            if (now - lastTime >= 0.9)
            {
                currentRate = (accepted - lastAccepted) / (now - lastTime);
                lastAccepted = accepted;
                lastTime = now;
            }

            string q = queryDriver is null ? "" : $", query p99 {queryDriver.Latency.CurrentP99Ms():0.0} ms";
            return ($"{currentRate:N0}/s, accepted {accepted:N0}, rejected {driver.Rejected:N0}, batch p99 {driver.Latency.CurrentP99Ms():0.0} ms{q}",
                now / options.Duration.TotalSeconds);
        });
        return (elapsed, queries is null ? null : await queries with { Floor = (await floor!).Latency });
    }

    private static async Task<BaselineFigures> RunBaselineAsync(LoadOptions options, LoadConsoleView view, TelemetryGenerator mainGenerator, double ourRate,
        bool perReading, CancellationToken cancellationToken)
    {
        string? connection = options.ResolveBaselineConnection();
        if (connection is null)
        {
            string why = options.NoBaseline
                ? "--no-baseline was given"
                : "no PostgreSQL connection: pass --baseline-connection \"Host=...;Username=...;Database=...\" (or use --store postgres --connection ...)";
            return new BaselineFigures(false, why, 0, 0, 0, 0, LatencyFigures.Empty, null);
        }

        // A fresh generator with the same seed replays the very readings the twin was sent, in the same order.
        TelemetryGenerator generator = mainGenerator.Restart();
        TimeSpan duration = options.BaselineDuration ?? options.Duration;
        long readings = 0;
        long started = Stopwatch.GetTimestamp();
        BaselineFigures figures;
        try
        {
            figures = await view.RunPhaseAsync(perReading ? "plain PostgreSQL, per reading" : "plain PostgreSQL baseline",
                () => new PostgresBaseline(connection).RunAsync(generator, options.BatchSize, options.Concurrency, duration, n => Interlocked.Exchange(ref readings, n), cancellationToken, perReading),
                () =>
                {
                    double s = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    return ($"{Interlocked.Read(ref readings) / Math.Max(s, 0.001):N0}/s, {Interlocked.Read(ref readings):N0} readings", s / duration.TotalSeconds);
                });
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // The twin's figures are already measured; a baseline that cannot run (server full, unreachable) is reported, not fatal.
            return new BaselineFigures(false, $"the baseline failed: {e.Message}", 0, 0, 0, 0, LatencyFigures.Empty, null);
        }

        return figures with { Ratio = figures.Rate > 0 ? Math.Round(ourRate / figures.Rate, 2) : null };
    }

    private static string Describe(District d, double generateSeconds) =>
        $"district: {d.Buildings.Length:N0} buildings, {d.Sensors.Length:N0} sensors ({(double)d.Sensors.Length / Math.Max(1, d.Buildings.Length):0.00}/building), " +
        $"{d.Counts.Grains:N0} grains, generated in {generateSeconds:0.0} s";

    private static HttpClient CreateClient(Uri baseAddress, string key)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<JsonElement?> HealthAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("health", cancellationToken);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone() : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    private static MachineFigures Machine() => new(
        Environment.MachineName, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, GCSettings.IsServerGC);

    /// <summary>The generators of positions and reports, made from the district before it is released.</summary>
    private sealed record MixGenerators(VehiclePositionGenerator Positions, CitizenReportGenerator Reports);

    /// <summary>Event-log records of each input kind at one moment.</summary>
    private sealed record EventLogCounts(long Readings, long Positions, long Reports)
    {
        public static async Task<EventLogCounts> ReadAsync(IEventLog eventLog, CancellationToken cancellationToken) => new(
            await eventLog.CountAsync(TelemetryIngest.ReadingKind, cancellationToken),
            await eventLog.CountAsync(VehicleIngest.PositionKind, cancellationToken),
            await eventLog.CountAsync(CaseReportIngest.ReportKind, cancellationToken));
    }

    private sealed record RunResult(DistrictFigures? District, IngestFigures Ingest, ConsistencyFigures Consistency, MemoryFigures Memory, QueryFigures? Queries);
}
