using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Load;

/// <summary>The settings of one <c>citytwin load</c> run, already checked by <see cref="Cli.LoadCommand"/>.</summary>
public sealed record LoadOptions
{
    /// <summary>Buildings in the generated district.</summary>
    public int Buildings { get; init; } = 2_000;

    /// <summary>Mean sensors per building (home sensors plus parking); the generator's default mix gives about 6.5.</summary>
    public double SensorsPerBuilding { get; init; } = 6.5;

    /// <summary>Seed of the generated district and of the readings.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Edge of the square district in km.</summary>
    public double SizeKm { get; init; } = 5;

    /// <summary>Target readings per second; null drives as fast as acknowledgements allow.</summary>
    public double? Rate { get; init; } = 10_000;

    /// <summary>How long telemetry is driven.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Telemetry (and queries) driven before the measured period and not counted in it, so JIT compilation, connection
    /// setup and first-touch allocation do not land in the p99.
    /// </summary>
    public TimeSpan Warmup { get; init; } = DefaultWarmup;

    /// <summary>
    /// 10 s: on this 2-core machine a freshly started server answers slowly for about its first 6 s (the JIT recompiling
    /// the request paths at tier 1 beside the load; slow answers cluster there), which 3 s did not cover.
    /// </summary>
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromSeconds(10);

    /// <summary>Readings per batch (one event-log append and one acknowledgement each).</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>Vehicle positions and citizen reports sent per 1,000 sensor readings.</summary>
    public LoadMix Mix { get; init; } = LoadMix.Default;

    /// <summary>Batches in flight at once; beyond it the driver waits for acknowledgements (and falls behind the rate).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>The store of the in-process silo.</summary>
    public StoreKind Store { get; init; } = StoreKind.Memory;

    /// <summary>Connection string or file path of the store.</summary>
    public string? Connection { get; init; }

    /// <summary>
    /// Running servers to drive over HTTP instead of an in-process silo: one, or the silos of one cluster, which then share
    /// the requests in turn. Empty for in-process.
    /// </summary>
    public IReadOnlyList<Uri> Targets { get; init; } = [];

    /// <summary>The first of <see cref="Targets"/> (queries and counts go through it), or null in process.</summary>
    public Uri? Target => Targets.Count > 0 ? Targets[0] : null;

    /// <summary>API key sent to <see cref="Targets"/> (operator role or higher).</summary>
    public string ApiKey { get; init; } = "demo-operator-key";

    /// <summary>500 m radius queries per second issued while telemetry runs; 0 for none.</summary>
    public double QueryRate { get; init; }

    /// <summary>Radius of the spatial queries in metres.</summary>
    public double QueryRadiusM { get; init; } = 500;

    /// <summary>PostgreSQL for the plain-database baseline; null uses <see cref="Connection"/> when the store is postgres.</summary>
    public string? BaselineConnection { get; init; }

    /// <summary>How long the baseline runs; null means as long as the main run.</summary>
    public TimeSpan? BaselineDuration { get; init; }

    /// <summary>Skips the baseline even when a PostgreSQL connection is known.</summary>
    public bool NoBaseline { get; init; }

    /// <summary>Runs the batched baseline (one transaction per batch).</summary>
    public bool BatchedBaseline { get; init; } = true;

    /// <summary>Runs the per-reading baseline (one committed upsert per reading) after the batched one.</summary>
    public bool PerReadingBaseline { get; init; } = true;

    /// <summary>Where the JSON report is written; null for none.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Shows Spectre.Console progress; otherwise (or when output is redirected) plain lines.</summary>
    public bool Interactive { get; init; } = true;

    /// <summary>The PostgreSQL connection of the baseline, or null when it cannot run.</summary>
    public string? ResolveBaselineConnection() =>
        NoBaseline ? null : BaselineConnection ?? (Store == StoreKind.Postgres && Target is null ? Connection : null);
}
