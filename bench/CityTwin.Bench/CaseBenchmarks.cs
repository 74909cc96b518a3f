using BenchmarkDotNet.Attributes;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Loading;
using CityTwin.Silo;
using CityTwin.Silo.Quiescence;
using CityTwin.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Bench;

/// <summary>
/// The case loop. <see cref="Transitions"/>: 2,000 reported cases, each driven through the seven steps
/// verify, dispatch (to one of 64 responders), accept, start, resolve, check, close, all cases at once; reported per
/// transition, so transitions/s = 1e9 / Mean[ns] (target: at least 10,000/s). Each transition is written to memory
/// storage, mirrored to the case list, published, counted by four area aggregates and re-arms the SLA reminder.
/// The silo is a twin silo (TwinSilo: the twin's grains on an <see cref="EmbeddedSilo"/> over a memory store) on a
/// virtual clock with work tracking, as forks and tests run, so setup can wait for the reported cases' side effects to
/// settle; the clock is never advanced (no SLA reminder fires) and the tracking adds a small cost to every call.
/// <see cref="KpiQuery"/>: the KPIs of a district whose aggregates hold 1,000,000 closed cases over 365 days
/// (target: at most 50 ms).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CaseBenchmarks
{
    private const int Cases = 2_000;
    private const int Responders = 64;
    private const int ClosedCases = 1_000_000;
    private static readonly CaseAction[] Path =
        [CaseAction.Verify, CaseAction.Dispatch, CaseAction.Accept, CaseAction.Start, CaseAction.Resolve, CaseAction.Check, CaseAction.Close];

    private static readonly GeoPoint Centre = new(104.0657, 30.6595);

    private TwinSilo? _silo;
    private string[] _ids = [];
    private int _round;

    /// <summary>Starts a silo with responders for the transition benchmark.</summary>
    [GlobalSetup(Target = nameof(Transitions))]
    public void SetupTransitions() => SetupTransitionsAsync().GetAwaiter().GetResult();

    /// <summary>Reports a fresh batch of cases before each iteration.</summary>
    [IterationSetup(Target = nameof(Transitions))]
    public void ReportCases() => ReportCasesAsync().GetAwaiter().GetResult();

    /// <summary>Starts a silo whose district aggregates hold a million closed cases.</summary>
    [GlobalSetup(Target = nameof(KpiQuery))]
    public void SetupKpis() => SetupKpisAsync().GetAwaiter().GetResult();

    /// <summary>Stops the silo.</summary>
    [GlobalCleanup]
    public void Cleanup() => _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Seven transitions on each of 2,000 cases, the cases concurrently.</summary>
    [Benchmark(OperationsPerInvoke = Cases * 7)]
    public Task Transitions() => Task.WhenAll(_ids.Select((id, i) => DriveAsync(_silo!.GrainFactory.GetGrain<ICaseGrain>(id), $"r{i % Responders}")));

    /// <summary>KPIs of the whole year over 1,000,000 closed cases.</summary>
    [Benchmark]
    public Task<KpiReport> KpiQuery() => _silo!.GrainFactory.GetGrain<ICaseAreaStatsGrain>("d-bench").GetKpisAsync(null, null);

    private static async Task DriveAsync(ICaseGrain grain, string responder)
    {
        foreach (CaseAction action in Path)
        {
            CaseTransitionResult r = await grain.TransitionAsync(new CaseTransitionRequest(action, responder, "bench")
            {
                Assignee = action == CaseAction.Dispatch ? responder : null,
                Evidence = action == CaseAction.Resolve ? ["https://photos.example/after.jpg"] : [],
            });
            if (r.Outcome != CaseOutcome.Ok)
            {
                throw new InvalidOperationException($"{action}: {r.Outcome} {r.Error}");
            }
        }
    }

    private static Task<TwinSilo> StartSiloAsync()
    {
        string name = $"case-bench-{Guid.NewGuid():N}"[..23];
        var clock = new VirtualTimeProvider(DateTimeOffset.UtcNow, new WorkTracker());
        CaseCatalogue catalogue = LoadCatalogue();
        return TwinSilo.StartAsync(SiloStore.CreateMemory(), new SiloOptions { Name = name, ClusterId = name }, clock,
            silo => silo.Services.AddSingleton(catalogue));
    }

    // The bench runs from BenchmarkDotNet's build folder: use the embedded catalogue, else the repository's file.
    private static CaseCatalogue LoadCatalogue()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path_(dir.FullName);
            if (File.Exists(path))
            {
                return CaseCatalogue.LoadFile(path);
            }
        }

        return CaseCatalogue.LoadDefault();

        static string Path_(string root) => System.IO.Path.Combine(root, "grains", "Cases", "catalogue.json");
    }

    private async Task SetupTransitionsAsync()
    {
        _silo = await StartSiloAsync();
        TwinDirectory directory = _silo.Directory;
        directory.Initialize(UtmProjection.ForCentre(Centre));
        for (int i = 0; i < Responders; i++)
        {
            await _silo.GrainFactory.GetGrain<IResponderGrain>($"r{i}").InitializeAsync(new ResponderDefinition(
                $"r{i}", $"Worker {i}", "13800000000", $"HT-{i}", "g1", "c1", "s1", new GeoPoint(Centre.Lon + (i * 0.0005), Centre.Lat), ["inspection"]));
        }
    }

    private async Task ReportCasesAsync()
    {
        int round = ++_round;
        _ids = Enumerable.Range(0, Cases).Select(i => $"case-bench-{round}-{i}").ToArray();
        await Task.WhenAll(_ids.Select(id => _silo!.GrainFactory.GetGrain<ICaseGrain>(id).ReportAsync(
            new CaseReport(CaseSource.Citizen, "road-damage", Centre, "pothole") { GridId = "g1", CommunityId = "c1", StreetId = "s1" })));
        await _silo!.WaitForQuiescenceAsync();
    }

    private async Task SetupKpisAsync()
    {
        _silo = await StartSiloAsync();
        ICaseAreaStatsGrain district = _silo.GrainFactory.GetGrain<ICaseAreaStatsGrain>("d-bench");
        var random = new Random(4);
        string[] categories = ["road-damage", "garbage", "noise", "illegal-parking", "street-light", "water-leak", "gas-leak", "sos"];
        DateTimeOffset start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string[] stages = ["reported", "verified", "dispatched", "accepted", "in-progress", "resolved", "checked"];
        for (int i = 0; i < ClosedCases; i++)
        {
            DateTimeOffset reported = start.AddSeconds(random.NextDouble() * 365 * 86_400);
            await district.RecordReportedAsync(new CaseReportedEvent($"c{i}", reported, CaseNames.Sources[random.Next(CaseNames.Sources.Count)], categories[random.Next(categories.Length)], null));
            double total = 0;
            for (int s = 0; s < stages.Length; s++)
            {
                // Log-uniform stage times from 30 s to about 11 h.
                double seconds = Math.Round(Math.Exp(3.4 + (random.NextDouble() * 7.2)));
                total += seconds;
                string to = s + 1 < stages.Length ? stages[s + 1] : "closed";
                await district.RecordStageAsync(new CaseStageEvent(reported, stages[s], to, seconds, to == "closed" ? total : null, false));
            }

            // Stay under the per-grain queue limit: let the aggregate drain now and then.
            if (i % 1_000 == 999)
            {
                await _silo.WaitForQuiescenceAsync();
            }
        }

        await _silo.WaitForQuiescenceAsync();
        KpiReport check = await district.GetKpisAsync(null, null);
        if (check.Closed != ClosedCases)
        {
            throw new InvalidOperationException($"Expected {ClosedCases} closed cases in the aggregates, found {check.Closed}.");
        }
    }
}
