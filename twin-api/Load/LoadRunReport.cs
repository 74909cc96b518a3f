namespace CityTwin.TwinApi.Load;

/// <summary>Everything one <c>citytwin load</c> run measured; written as JSON with <c>--report</c>.</summary>
public sealed record LoadRunReport(
    DateTimeOffset StartedAt,
    MachineFigures Machine,
    RunSettings Settings,
    DistrictFigures? District,
    IngestFigures Ingest,
    ConsistencyFigures Consistency,
    MemoryFigures Memory,
    QueryFigures? Queries,
    BaselineFigures Baseline,
    IReadOnlyList<string> Notes)
{
    /// <summary>The per-reading baseline (one committed upsert per reading, as per-update stores write), run after <see cref="Baseline"/>.</summary>
    public BaselineFigures? PerReadingBaseline { get; init; }
}
