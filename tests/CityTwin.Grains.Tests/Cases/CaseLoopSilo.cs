using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo;
using CityTwin.Silo.Storage;
using CityTwin.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>
/// A real twin silo on a virtual clock (Monday 2026-05-04 08:00 UTC) with a tiny hand-made district: one district,
/// street and community, two grids side by side, two cells, and three responders at known distances from
/// <see cref="Centre"/>: r3 (≈100 m, patrol only), r1 (≈200 m, patrol/inspection/first-aid), r2 (≈600 m, first-aid).
/// </summary>
internal sealed class CaseLoopSilo : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    public static readonly GeoPoint Centre = new(104.0657, 30.6595);

    private CaseLoopSilo(TwinSilo silo, VirtualTimeProvider clock)
    {
        Silo = silo;
        Clock = clock;
    }

    public TwinSilo Silo { get; }

    public VirtualTimeProvider Clock { get; }

    public IGrainFactory Grains => Silo.GrainFactory;

    public TwinDirectory Directory => Silo.Directory;

    public CaseIndex Index => Silo.Cases;

    public AlertBus Alerts => Silo.Alerts;

    public TwinFeeds Feeds => Silo.Feeds;

    /// <summary>Starts a silo (on <paramref name="store"/> when given, so a test can read what it stored) and loads the district.</summary>
    public static async Task<CaseLoopSilo> StartAsync(SiloStore? store = null)
    {
        VirtualTimeProvider clock = TwinSilos.Clock(Start);
        TwinSilo silo = await TwinSilos.StartAsync(
            clock, store, s => s.AddSingleton(CaseCatalogue.LoadFile(RepositoryRoot.Combine("grains", "Cases", "catalogue.json"))));
        var loop = new CaseLoopSilo(silo, clock);
        await loop.LoadDistrictAsync();
        await CaseLoop.StartAsync(silo.Services);
        return loop;
    }

    /// <summary>A point <paramref name="eastM"/> metres east and <paramref name="northM"/> metres north of the centre.</summary>
    public GeoPoint Offset(double eastM, double northM)
    {
        ProjectedPoint p = Directory.Projection.Forward(Centre);
        return Directory.Projection.Inverse(new ProjectedPoint(p.X + eastM, p.Y + northM));
    }

    public ICaseGrain Case(string id) => Grains.GetGrain<ICaseGrain>(id);

    public async Task<CaseView> ReportAsync(string category, CaseSource source = CaseSource.Citizen, GeoPoint? at = null, string? id = null) =>
        await Case(id ?? CaseIds.New(Clock.GetUtcNow())).ReportAsync(new CaseReport(source, category, at ?? Centre, $"{category} here") { Reporter = "tester" });

    public async Task<CaseTransitionResult> DoAsync(string caseId, CaseAction action, string actor = "operator-1", string? assignee = null, params string[] evidence) =>
        await Case(caseId).TransitionAsync(new CaseTransitionRequest(action, actor, $"{action} by {actor}") { Assignee = assignee, Evidence = evidence });

    public Task AdvanceAsync(TimeSpan by) => Silo.AdvanceTimeAsync(by);

    public ValueTask DisposeAsync() => Silo.DisposeAsync();

    private async Task LoadDistrictAsync()
    {
        Directory.Initialize(UtmProjection.ForCentre(Centre));
        DateTimeOffset now = Start;
        Directory.Upsert(Area("d1", AreaKind.District, null, Square(0, 0, 3000)), publish: false);
        Directory.Upsert(Area("s1", AreaKind.Street, "d1", Square(0, 0, 2000)), publish: false);
        Directory.Upsert(Area("c1", AreaKind.Community, "s1", Square(0, 0, 2000)), publish: false);
        Directory.Upsert(Area("g1", AreaKind.Grid, "c1", Rect(-1000, -1000, 1000, 1000)), publish: false);
        Directory.Upsert(Area("g2", AreaKind.Grid, "c1", Rect(1000, -1000, 3000, 1000)), publish: false);
        Directory.Upsert(new EntitySummary("cell-a", EntityType.Cell, null, null, null, Offset(0, 0), now), publish: false);
        Directory.Upsert(new EntitySummary("cell-b", EntityType.Cell, null, null, null, Offset(1500, 0), now), publish: false);
        await Responder("r3", 100, ["patrol"]);
        await Responder("r1", 200, ["patrol", "inspection", "first-aid"]);
        await Responder("r2", 600, ["first-aid"]);

        EntitySummary Area(string id, AreaKind kind, string? parent, GeoPoint[] shape) =>
            new(id, EntityType.Area, kind.ToString(), id, null, shape[0], now) { ParentId = parent, Shape = shape };

        GeoPoint[] Square(double cx, double cy, double half) => Rect(cx - half, cy - half, cx + half, cy + half);

        GeoPoint[] Rect(double x0, double y0, double x1, double y1) => [Offset(x0, y0), Offset(x1, y0), Offset(x1, y1), Offset(x0, y1), Offset(x0, y0)];

        Task Responder(string id, double eastM, string[] skills) => Grains.GetGrain<IResponderGrain>(id).InitializeAsync(
            new ResponderDefinition(id, $"Worker {id}", "13800000000", $"HT-{id}", "g1", "c1", "s1", Offset(eastM, 0), skills));
    }
}
