using System.Diagnostics;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Silo;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Loading;

/// <summary>
/// Loads a generated district into a silo: every area, cell, building, sensor, gauge, vehicle and responder becomes
/// an initialised grain (its state written to storage, its summary in the read model); geofences and stations go to
/// the district meta data. Grains are initialised in parallel chunks so 50,000 buildings load in seconds.
/// </summary>
public static class DistrictLoader
{
    private const int Chunk = 5_000;

    /// <summary>Loads <paramref name="district"/> into the silo whose services are <paramref name="silo"/> and records it as the twin's district.</summary>
    public static async Task<LoadReport> LoadAsync(IServiceProvider silo, District.District district, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        TwinDirectory directory = silo.GetRequiredService<TwinDirectory>();
        directory.Initialize(district.CreateProjection());
        IGrainFactory f = silo.GetRequiredService<IGrainFactory>();
        var locator = new AreaLocator(district.Areas);
        var counts = new Dictionary<string, int>();

        await RunAsync("areas", district.Areas, a => f.GetGrain<IAreaGrain>(a.Id).InitializeAsync(
            new AreaDefinition(a.Id, a.Kind, a.Name, a.ParentId, a.Boundary, a.Staff)), progress, counts, cancellationToken);

        CellGrid cells = district.Cells;
        UtmProjection projection = district.CreateProjection();
        int[] cellIndexes = Enumerable.Range(0, cells.Columns * cells.Rows).ToArray();
        await RunAsync("cells", cellIndexes, i =>
        {
            GeoPoint centre = projection.Inverse(cells.CentreOf(i));
            return f.GetGrain<ICellGrain>(cells.IdOf(i)).InitializeAsync(new CellDefinition(
                cells.IdOf(i), i, i % cells.Columns, i / cells.Columns, centre, cells.CellSizeM, cells.ElevationM[i], cells.Imperviousness[i],
                cells.CurveNumber[i], cells.DrainageMmPerHour[i], cells.IsRiver[i], locator.Locate(centre).Grid));
        }, progress, counts, cancellationToken);

        await RunAsync("buildings", district.Buildings, b => f.GetGrain<IBuildingGrain>(BuildingId(b.Id)).InitializeAsync(new BuildingDefinition(
            BuildingId(b.Id), b.Use, b.Floors, b.Centroid, b.Footprint, b.Households, b.Occupants, b.Elderly,
            b.GridId, b.CommunityId, b.StreetId, cells.IdOf(b.CellIndex), b.Contacts,
            Enumerable.Range(b.FirstSensorId, b.SensorCount).Select(SensorId).ToArray())), progress, counts, cancellationToken);

        Dictionary<SensorKind, SensorProfile> profiles = district.SensorProfiles.ToDictionary(p => p.Kind);
        await RunAsync("sensors", district.Sensors, s =>
        {
            SensorKind kind = s.Kind;
            Building? home = s.BuildingId >= 0 ? district.Buildings[s.BuildingId] : null;
            (string? grid, string? community, string? street) = home is null ? locator.Locate(s.Position) : (home.GridId, home.CommunityId, home.StreetId);
            int cell = cells.IndexAt(projection.Forward(s.Position));
            SensorProfile? profile = profiles.GetValueOrDefault(kind);
            return f.GetGrain<ISensorGrain>(SensorId(s.Id)).InitializeAsync(new SensorDefinition(
                SensorId(s.Id), kind, home is null ? null : BuildingId(home.Id), s.Floor, s.Position, grid, community, street,
                cell < 0 ? null : cells.IdOf(cell), profile?.Unit ?? "", profile?.Alarm));
        }, progress, counts, cancellationToken);

        await RunAsync("gauges", district.Gauges, g =>
        {
            (string? grid, string? community, string? street) = locator.Locate(g.Position);
            return f.GetGrain<IGaugeGrain>(g.Id).InitializeAsync(new GaugeDefinition(
                g.Id, g.Name, g.Position, cells.IdOf(g.CellIndex), grid, community, street, g.BedElevationM, g.NormalLevelM,
                g.WarningLevelM, g.GuaranteedLevelM, g.HistoricMaxLevelM));
        }, progress, counts, cancellationToken);

        await RunAsync("vehicles", district.Vehicles, v => f.GetGrain<IVehicleGrain>(v.Id).InitializeAsync(
            new VehicleDefinition(v.Id, v.Kind, v.Plate, v.Position, v.HomeStationId, v.AssignedSiteId)), progress, counts, cancellationToken);

        await RunAsync("responders", district.Responders, r =>
        {
            (_, string? community, string? street) = locator.ParentsOf(r.GridId);
            return f.GetGrain<IResponderGrain>(r.Id).InitializeAsync(new ResponderDefinition(
                r.Id, r.Name, r.Phone, r.TerminalId, r.GridId, community, street, r.Position, ["patrol", "inspection", "first-aid"]));
        }, progress, counts, cancellationToken);

        var meta = new DistrictMeta
        {
            Name = district.Name,
            Seed = district.Options.Seed,
            UtmZone = district.UtmZone,
            UtmNorth = district.UtmNorth,
            LoadedAt = silo.GetGrainTimeProvider().GetUtcNow(),
            Counts = counts,
            Geofences = district.Geofences.Select(g => new GeofenceDefinition(g.Id, g.Kind, g.Name, g.Centre, g.Boundary, g.RadiusM)).ToArray(),
            Stations = district.Stations.Select(s => new StationDefinition(s.Id, s.Kind, s.Name, s.Position)).ToArray(),
        };
        silo.GetRequiredService<GeofenceRegistry>().Load(meta.Geofences, projection);
        foreach (StationDefinition s in meta.Stations)
        {
            directory.Upsert(new EntitySummary(s.Id, EntityType.Station, s.Kind.ToString(), s.Name, "active", s.Position, meta.LoadedAt), publish: false);
        }

        await f.GetGrain<ITwinMetaGrain>("current").SetAsync(meta);
        return new LoadReport(counts, watch.Elapsed);
    }

    /// <summary>The grain key of a generated building.</summary>
    public static string BuildingId(int id) => $"b{id}";

    /// <summary>The grain key of a generated sensor.</summary>
    public static string SensorId(int id) => $"s{id}";

    private static async Task RunAsync<T>(string stage, IReadOnlyList<T> items, Func<T, Task> initialize, IProgress<LoadProgress>? progress,
        Dictionary<string, int> counts, CancellationToken cancellationToken)
    {
        var tasks = new Task[Math.Min(Chunk, items.Count)];
        for (int start = 0; start < items.Count; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Chunk, items.Count - start);
            for (int i = 0; i < n; i++)
            {
                tasks[i] = initialize(items[start + i]);
            }

            await Task.WhenAll(tasks.AsSpan(0, n).ToArray());
            progress?.Report(new LoadProgress(stage, start + n, items.Count));
        }

        counts[stage] = items.Count;
    }

}
