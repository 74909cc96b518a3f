using System.Diagnostics;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.District;
using CityTwin.Silo;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Loading;

/// <summary>
/// Loads a generated district into a silo: every area, cell, building, sensor, gauge, vehicle and responder gets its
/// first state written to grain storage and its summary put in the read model (<see cref="TwinSeeder"/>), without a
/// grain being activated: they activate when first used, as after a restart. Geofences and stations go to the district
/// meta data.
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
        var seeder = new TwinSeeder(silo);
        DateTimeOffset now = silo.GetGrainTimeProvider().GetUtcNow();
        var locator = new AreaLocator(district.Areas);
        var counts = new Dictionary<string, int>();

        await SeedAsync(seeder, "areas", district.Areas, a =>
        {
            var state = new AreaState();
            state.Initialize(new AreaDefinition(a.Id, a.Kind, a.Name, a.ParentId, a.Boundary, a.Staff), now);
            return (a.Id, state);
        }, progress, counts, cancellationToken);

        CellGrid cells = district.Cells;
        UtmProjection projection = district.CreateProjection();
        int[] cellIndexes = Enumerable.Range(0, cells.Columns * cells.Rows).ToArray();
        await SeedAsync(seeder, "cells", cellIndexes, i =>
        {
            GeoPoint centre = projection.Inverse(cells.CentreOf(i));
            string id = cells.IdOf(i);
            var state = new CellState();
            state.Initialize(new CellDefinition(
                id, i, i % cells.Columns, i / cells.Columns, centre, cells.CellSizeM, cells.ElevationM[i], cells.Imperviousness[i],
                cells.CurveNumber[i], cells.DrainageMmPerHour[i], cells.IsRiver[i], locator.Locate(centre).Grid), id, seeder.Directory, now);
            return (id, state);
        }, progress, counts, cancellationToken);

        await SeedAsync(seeder, "buildings", district.Buildings, b =>
        {
            string id = BuildingId(b.Id);
            var state = new BuildingState();
            state.Initialize(new BuildingDefinition(
                id, b.Use, b.Floors, b.Centroid, b.Footprint, b.Households, b.Occupants, b.Elderly,
                b.GridId, b.CommunityId, b.StreetId, cells.IdOf(b.CellIndex), b.Contacts,
                Enumerable.Range(b.FirstSensorId, b.SensorCount).Select(SensorId).ToArray()), id, seeder.Directory, now);
            return (id, state);
        }, progress, counts, cancellationToken);

        Dictionary<SensorKind, SensorProfile> profiles = district.SensorProfiles.ToDictionary(p => p.Kind);
        await SeedAsync(seeder, "sensors", district.Sensors, s =>
        {
            SensorKind kind = s.Kind;
            Building? home = s.BuildingId >= 0 ? district.Buildings[s.BuildingId] : null;
            (string? grid, string? community, string? street) = home is null ? locator.Locate(s.Position) : (home.GridId, home.CommunityId, home.StreetId);
            int cell = cells.IndexAt(projection.Forward(s.Position));
            SensorProfile? profile = profiles.GetValueOrDefault(kind);
            string id = SensorId(s.Id);
            var state = new SensorState();
            state.Initialize(new SensorDefinition(
                id, kind, home is null ? null : BuildingId(home.Id), s.Floor, s.Position, grid, community, street,
                cell < 0 ? null : cells.IdOf(cell), profile?.Unit ?? "", profile?.Alarm), id, seeder.Directory, now);
            return (id, state);
        }, progress, counts, cancellationToken);

        await SeedAsync(seeder, "gauges", district.Gauges, g =>
        {
            (string? grid, string? community, string? street) = locator.Locate(g.Position);
            var state = new GaugeState();
            state.Initialize(new GaugeDefinition(
                g.Id, g.Name, g.Position, cells.IdOf(g.CellIndex), grid, community, street, g.BedElevationM, g.NormalLevelM,
                g.WarningLevelM, g.GuaranteedLevelM, g.HistoricMaxLevelM), now);
            return (g.Id, state);
        }, progress, counts, cancellationToken);

        await SeedAsync(seeder, "vehicles", district.Vehicles, v =>
        {
            var state = new VehicleState();
            state.Initialize(new VehicleDefinition(v.Id, v.Kind, v.Plate, v.Position, v.HomeStationId, v.AssignedSiteId), now);
            return (v.Id, state);
        }, progress, counts, cancellationToken);

        await SeedAsync(seeder, "responders", district.Responders, r =>
        {
            (_, string? community, string? street) = locator.ParentsOf(r.GridId);
            var state = new ResponderState();
            state.Initialize(new ResponderDefinition(
                r.Id, r.Name, r.Phone, r.TerminalId, r.GridId, community, street, r.Position, ["patrol", "inspection", "first-aid"]), now);
            return (r.Id, state);
        }, progress, counts, cancellationToken);

        var meta = new DistrictMeta
        {
            Name = district.Name,
            Seed = district.Options.Seed,
            UtmZone = district.UtmZone,
            UtmNorth = district.UtmNorth,
            LoadedAt = now,
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

    private static async Task SeedAsync<T, TState>(TwinSeeder seeder, string stage, IReadOnlyList<T> items, Func<T, (string Key, TState State)> create,
        IProgress<LoadProgress>? progress, Dictionary<string, int> counts, CancellationToken cancellationToken)
        where TState : class, ITwinEntityState
    {
        for (int start = 0; start < items.Count; start += Chunk)
        {
            int n = Math.Min(Chunk, items.Count - start);
            await seeder.SeedAsync(items.Skip(start).Take(n), create, cancellationToken);
            progress?.Report(new LoadProgress(stage, start + n, items.Count));
        }

        counts[stage] = items.Count;
    }
}
