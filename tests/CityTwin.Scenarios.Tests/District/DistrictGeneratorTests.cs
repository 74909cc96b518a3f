using CityTwin.Grains.Model;
using System.Diagnostics;
using CityTwin.Grains.Geo;
using CityTwin.Scenarios.District;
using NetTopologySuite.Geometries;
using Model = CityTwin.Scenarios.District;

namespace CityTwin.Scenarios.Tests.District;

public class DistrictGeneratorTests(DemoDistrictFixture fixture) : IClassFixture<DemoDistrictFixture>
{
    private readonly Model.District _district = fixture.District;
    private readonly DistrictOptions _options = fixture.Options;

    [Fact]
    public void Same_seed_gives_byte_identical_json_and_another_seed_differs()
    {
        var options = new DistrictOptions { Seed = 5, Buildings = 300, SizeKm = 2, CommunitiesPerStreet = 2, GridsPerCommunity = 2 };

        byte[] first = Serialise(DistrictGenerator.Generate(options));
        byte[] again = Serialise(DistrictGenerator.Generate(options));
        byte[] other = Serialise(DistrictGenerator.Generate(options with { Seed = 6 }));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Counts_match_the_options()
    {
        Model.District d = _district;
        int streets = _options.StreetCount();
        int communities = streets * _options.CommunitiesPerStreet;
        int grids = _options.GridCount();

        Assert.Equal(_options.Buildings, d.Buildings.Length);
        Assert.Equal(50 * 50, d.Cells.ElevationM.Length);
        Assert.Equal(streets, d.Areas.Count(a => a.Kind == AreaKind.Street));
        Assert.Equal(communities, d.Areas.Count(a => a.Kind == AreaKind.Community));
        Assert.Equal(grids, d.Areas.Count(a => a.Kind == AreaKind.Grid));
        Assert.Single(d.Areas, a => a.Kind == AreaKind.District);
        Assert.Equal(grids * _options.RespondersPerGrid, d.Responders.Length);
        Assert.Equal(_options.PatrolCarCount(), d.Vehicles.Count(v => v.Kind == VehicleKind.PatrolCar));
        Assert.Equal(_options.FireEngineCount(), d.Vehicles.Count(v => v.Kind == VehicleKind.FireEngine));
        Assert.Equal(_options.AmbulanceCount(), d.Vehicles.Count(v => v.Kind == VehicleKind.Ambulance));
        Assert.Equal(_options.MuckTruckCount(), d.Vehicles.Count(v => v.Kind == VehicleKind.MuckTruck));
        Assert.Equal(_options.RiverGaugeCount(), d.Gauges.Length);
        Assert.Equal(_options.ConstructionSiteCount(), d.Geofences.Count(g => g.Kind == GeofenceKind.ConstructionSite));
        Assert.Equal(_options.DisposalPointCount(), d.Geofences.Count(g => g.Kind == GeofenceKind.DisposalPoint));
        Assert.Equal(_options.CheckpointCount(), d.Geofences.Count(g => g.Kind == GeofenceKind.Checkpoint));

        Assert.Equal(d.Buildings.Length, d.Counts.Buildings);
        Assert.Equal(d.Sensors.Length, d.Counts.HomeSensors + d.Counts.StreetSensors);
        Assert.Equal(d.Sensors.Count(s => s.BuildingId >= 0), d.Counts.HomeSensors);
        Assert.Equal(d.Areas.Length, d.Counts.Areas);
        Assert.Equal(d.Vehicles.Length, d.Counts.Vehicles);
    }

    [Fact]
    public void Sensor_mix_follows_the_options()
    {
        Model.District d = _district;
        HomeSensorMix mix = _options.HomeSensors;
        int withResidents = d.Buildings.Count(b => b.Use is BuildingUse.Residential or BuildingUse.ElderlyCare);
        double expected = (d.Buildings.Length * (mix.Gas + mix.Smoke + mix.CarbonMonoxide)) + (withResidents * (mix.SosButton + mix.WaterMeter));

        Assert.InRange(d.Counts.HomeSensors, expected * 0.95, expected * 1.05);
        Assert.InRange(d.Counts.HomeSensors / (double)d.Buildings.Length, 5.5, 6.5);
        Assert.DoesNotContain(d.Sensors, s => s.Kind is SensorKind.SosButton or SensorKind.WaterMeter
            && d.Buildings[s.BuildingId].Use is not (BuildingUse.Residential or BuildingUse.ElderlyCare));
        Assert.Equal((int)Math.Round(_options.StreetSensors.ParkingPerBuilding * d.Buildings.Length), d.Sensors.Count(s => s.Kind == SensorKind.Parking));
        Assert.Equal(25, d.Sensors.Count(s => s.Kind == SensorKind.Rain));
        Assert.Equal(Enum.GetValues<SensorKind>().Length, d.SensorProfiles.Length);

        foreach (Building b in d.Buildings)
        {
            for (int id = b.FirstSensorId; id < b.FirstSensorId + b.SensorCount; id++)
            {
                Sensor s = d.Sensors[id];
                Assert.Equal(b.Id, s.BuildingId);
                Assert.InRange(s.Floor, 1, b.Floors);
            }
        }
    }

    [Fact]
    public void Area_ids_follow_the_hierarchy()
    {
        Dictionary<string, Area> areas = _district.Areas.ToDictionary(a => a.Id);

        Assert.Contains("street-3", areas.Keys);
        Assert.Contains("community-3-2", areas.Keys);
        Assert.Contains("grid-3-2-1", areas.Keys);
        Assert.Equal("community-3-2", areas["grid-3-2-1"].ParentId);
        Assert.Equal("street-3", areas["community-3-2"].ParentId);
        Assert.Equal("district", areas["street-3"].ParentId);
        Assert.All(_district.Areas, a => Assert.NotEmpty(a.Staff));
        Assert.All(_district.Areas.SelectMany(a => a.Staff), s => Assert.Matches("^1[3-9][0-9]{9}$", s.Phone));
    }

    [Fact]
    public void Areas_of_each_level_tile_the_district()
    {
        UtmProjection utm = _district.CreateProjection();
        double districtArea = utm.Forward(GeoGeometry.ToPolygon(_district.Bounds)).Area;

        foreach (AreaKind kind in new[] { AreaKind.Street, AreaKind.Community, AreaKind.Grid })
        {
            Geometry[] parts = _district.Areas.Where(a => a.Kind == kind).Select(a => utm.Forward(GeoGeometry.ToPolygon(a.Boundary))).ToArray();
            Assert.Equal(districtArea, parts.Sum(p => p.Area), districtArea * 1e-5);
            Assert.Equal(districtArea, GeoGeometry.Wgs84.BuildGeometry(parts).Union().Area, districtArea * 1e-5);
        }
    }

    [Fact]
    public void Every_position_lies_inside_the_box()
    {
        Model.District d = _district;
        UtmProjection utm = d.CreateProjection();
        Envelope square = utm.Forward(GeoGeometry.ToPolygon(d.Bounds)).EnvelopeInternal;
        var positions = new List<GeoPoint> { d.Centre };
        positions.AddRange(d.Bounds);
        positions.AddRange(d.Buildings.SelectMany(b => b.Footprint.Append(b.Centroid)));
        positions.AddRange(d.Sensors.Select(s => s.Position));
        positions.AddRange(d.Vehicles.Select(v => v.Position));
        positions.AddRange(d.Stations.Select(s => s.Position));
        positions.AddRange(d.Responders.Select(r => r.Position));
        positions.AddRange(d.Gauges.Select(g => g.Position));
        positions.AddRange(d.River.Centreline);
        positions.AddRange(d.Areas.SelectMany(a => a.Boundary));
        positions.AddRange(d.Geofences.SelectMany(g => (g.Boundary ?? []).Append(g.Centre)));

        Assert.True(positions.Count > 20_000);
        foreach (GeoPoint p in positions)
        {
            Assert.True(d.Box.Contains(p), $"{p} is outside {d.Box}");
            ProjectedPoint m = utm.Forward(p);

            // 1 cm: area corners on the square's edge are rounded to 1e-7 degrees.
            Assert.True(m.X >= square.MinX - 0.01 && m.X <= square.MaxX + 0.01 && m.Y >= square.MinY - 0.01 && m.Y <= square.MaxY + 0.01,
                $"{p} is outside the UTM square");
        }
    }

    [Fact]
    public void Every_building_lies_in_its_cell_grid_community_and_street()
    {
        Model.District d = _district;
        UtmProjection utm = d.CreateProjection();
        Dictionary<string, Area> areas = d.Areas.ToDictionary(a => a.Id);
        Dictionary<string, Polygon> polygons = d.Areas.ToDictionary(a => a.Id, a => GeoGeometry.ToPolygon(a.Boundary));

        foreach (Building b in d.Buildings)
        {
            Assert.Equal(d.Cells.IndexAt(utm.Forward(b.Centroid)), b.CellIndex);
            Assert.Equal(b.CommunityId, areas[b.GridId].ParentId);
            Assert.Equal(b.StreetId, areas[b.CommunityId].ParentId);
            Polygon footprint = GeoGeometry.ToPolygon(b.Footprint);
            Assert.True(polygons[b.GridId].Covers(footprint), $"building {b.Id} footprint leaves {b.GridId}");
            Assert.True(polygons[b.CommunityId].Covers(GeoGeometry.ToPoint(b.Centroid)));
            Assert.True(polygons[b.StreetId].Covers(GeoGeometry.ToPoint(b.Centroid)));
            Assert.False(d.Cells.IsRiver[b.CellIndex] && DistanceToRiver(utm, b.Centroid) < d.River.WidthM / 2, $"building {b.Id} stands in the river");
            Assert.InRange(b.Elderly, 0, b.Occupants);
            Assert.True(b.Floors >= 1);
        }

        // Footprints never overlap: each sits on its own lot.
        var tree = new NetTopologySuite.Index.Strtree.STRtree<Polygon>();
        Polygon[] footprints = d.Buildings.Select(b => (Polygon)utm.Forward(GeoGeometry.ToPolygon(b.Footprint))).ToArray();
        foreach (Polygon f in footprints)
        {
            tree.Insert(f.EnvelopeInternal, f);
        }

        foreach (Polygon f in footprints)
        {
            Assert.All(tree.Query(f.EnvelopeInternal).Where(o => !ReferenceEquals(o, f)), o => Assert.True(o.Intersection(f).Area < 1e-6));
        }
    }

    [Fact]
    public void River_cells_form_one_chain_lower_than_the_valley_sides()
    {
        Model.District d = _district;
        CellGrid cells = d.Cells;
        UtmProjection utm = d.CreateProjection();
        LineString river = (LineString)utm.Forward(GeoGeometry.ToLineString(d.River.Centreline));
        int[] riverCells = Enumerable.Range(0, cells.IsRiver.Length).Where(i => cells.IsRiver[i]).ToArray();
        double[] distance = Enumerable.Range(0, cells.IsRiver.Length)
            .Select(i => river.Distance(river.Factory.CreatePoint(new Coordinate(cells.CentreOf(i).X, cells.CentreOf(i).Y))))
            .ToArray();

        Assert.InRange(riverCells.Length, 50, 250);
        foreach (int r in riverCells)
        {
            ProjectedPoint c = cells.CentreOf(r);
            for (int i = 0; i < distance.Length; i++)
            {
                if (distance[i] > 800 && cells.CentreOf(i).DistanceTo(c) < 1_500)
                {
                    Assert.True(cells.ElevationM[i] > cells.ElevationM[r] + 3, $"cell {cells.IdOf(i)} is not clearly above river cell {cells.IdOf(r)}");
                }
            }
        }

        // Flood routing needs the channel connected through cell edges.
        var seen = new HashSet<int> { riverCells[0] };
        var queue = new Queue<int>(seen);
        while (queue.TryDequeue(out int i))
        {
            int col = i % cells.Columns, row = i / cells.Columns;
            foreach ((int nc, int nr) in new[] { (col - 1, row), (col + 1, row), (col, row - 1), (col, row + 1) })
            {
                if (nc >= 0 && nr >= 0 && nc < cells.Columns && nr < cells.Rows && cells.IsRiver[cells.IndexOf(nc, nr)] && seen.Add(cells.IndexOf(nc, nr)))
                {
                    queue.Enqueue(cells.IndexOf(nc, nr));
                }
            }
        }

        Assert.Equal(riverCells.Length, seen.Count);
        Assert.All(Enumerable.Range(0, distance.Length).Where(i => !cells.IsRiver[i]), i =>
        {
            Assert.InRange(cells.CurveNumber[i], 60, 98);
            Assert.InRange(cells.Imperviousness[i], 0.05, 0.97);
            Assert.InRange(cells.DrainageMmPerHour[i], 20, 55);
        });
    }

    [Fact]
    public void Gauges_sit_on_the_river_with_ordered_levels()
    {
        Model.District d = _district;
        UtmProjection utm = d.CreateProjection();

        Assert.NotEmpty(d.Gauges);
        foreach (RiverGauge g in d.Gauges)
        {
            Assert.True(DistanceToRiver(utm, g.Position) < 0.01, $"{g.Id} is off the river");
            Assert.True(d.Cells.IsRiver[g.CellIndex]);
            Assert.Equal(d.Cells.IndexAt(utm.Forward(g.Position)), g.CellIndex);
            Assert.True(g.BedElevationM < g.NormalLevelM && g.NormalLevelM < g.WarningLevelM && g.WarningLevelM < g.GuaranteedLevelM);
            Assert.True(g.HistoricMaxLevelM > g.WarningLevelM);
        }

        // Downstream gauges sit lower.
        RiverGauge[] byChainage = d.Gauges.OrderBy(g => g.ChainageM).ToArray();
        Assert.True(byChainage.Zip(byChainage.Skip(1)).All(p => p.First.BedElevationM > p.Second.BedElevationM));
    }

    [Theory]
    [InlineData(0.19)]
    [InlineData(0.35)]
    public void Elderly_share_of_home_residents_is_near_the_option(double share)
    {
        Model.District d = share == _options.ElderlyShare ? _district : DistrictGenerator.Generate(_options with { ElderlyShare = share, Seed = 3 });
        Building[] homes = d.Buildings.Where(b => b.Use == BuildingUse.Residential).ToArray();

        double actual = homes.Sum(b => (double)b.Elderly) / homes.Sum(b => b.Occupants);

        Assert.InRange(actual, share - 0.02, share + 0.02);
        Assert.All(d.Buildings.Where(b => b.Elderly > 0), b => Assert.Contains(b.Contacts, c => c.Role == "family"));
    }

    [Fact]
    public void Vehicles_responders_and_geofences_reference_what_exists()
    {
        Model.District d = _district;
        var stations = d.Stations.Select(s => s.Id).ToHashSet();
        var sites = d.Geofences.Where(g => g.Kind == GeofenceKind.ConstructionSite).Select(g => g.Id).ToHashSet();
        Dictionary<string, Polygon> grids = d.Areas.Where(a => a.Kind == AreaKind.Grid).ToDictionary(a => a.Id, a => GeoGeometry.ToPolygon(a.Boundary));

        Assert.All(d.Vehicles, v => Assert.Contains(v.HomeStationId, stations));
        Assert.All(d.Vehicles.Where(v => v.Kind == VehicleKind.MuckTruck), v => Assert.Contains(v.AssignedSiteId!, sites));
        Assert.All(d.Vehicles.Where(v => v.Kind != VehicleKind.MuckTruck), v => Assert.Null(v.AssignedSiteId));
        // The twin has one id space: a vehicle named like its station would be taken for the station.
        string[] ids = [.. d.Areas.Select(a => a.Id), .. d.Gauges.Select(g => g.Id), .. d.Stations.Select(s => s.Id), .. d.Vehicles.Select(v => v.Id),
            .. d.Responders.Select(r => r.Id), .. d.Geofences.Select(g => g.Id)];
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(d.Responders, r => Assert.True(grids[r.GridId].Covers(GeoGeometry.ToPoint(r.Position))));
        Assert.Equal(d.Responders.Length, d.Responders.Select(r => r.TerminalId).Distinct().Count());
        Assert.All(d.Geofences, g => Assert.Equal(g.Kind == GeofenceKind.Checkpoint, g.Boundary is null));
        Assert.All(d.Geofences.Where(g => g.Boundary is not null), g => Assert.True(GeoGeometry.ToPolygon(g.Boundary!).Covers(GeoGeometry.ToPoint(g.Centre))));
    }

    [Fact]
    public void English_locale_and_other_places_work()
    {
        // Sydney: southern hemisphere, UTM 56S.
        Model.District d = DistrictGenerator.Generate(new DistrictOptions
        {
            Seed = 9, Buildings = 200, SizeKm = 2, CellSizeM = 50, Locale = "en", CentreLon = 151.2093, CentreLat = -33.8688,
        });

        Assert.Equal(56, d.UtmZone);
        Assert.False(d.UtmNorth);
        Assert.Equal(40 * 40, d.Cells.ElevationM.Length);
        Assert.All(d.Buildings, b => Assert.True(d.Box.Contains(b.Centroid)));
        Assert.Matches("^[A-Za-z' .-]+ [A-Za-z' .-]+$", d.Responders[0].Name);
    }

    [Theory]
    [InlineData(nameof(DistrictOptions.CellSizeM), 5.0, 300.0)]
    [InlineData(nameof(DistrictOptions.ElderlyShare), 5.0, 100.0)]
    [InlineData(nameof(DistrictOptions.SizeKm), 0.1, 100.0)]
    public void Invalid_options_are_rejected_by_name(string option, double sizeKm, double cellSize)
    {
        var options = new DistrictOptions { SizeKm = sizeKm, CellSizeM = cellSize, ElderlyShare = option == nameof(DistrictOptions.ElderlyShare) ? 1.5 : 0.2 };

        ArgumentException error = Assert.Throws<ArgumentException>(() => DistrictGenerator.Generate(options));

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Unknown_locale_and_overfull_districts_are_rejected()
    {
        Assert.Contains("Locale", Assert.Throws<ArgumentException>(() => DistrictGenerator.Generate(new DistrictOptions { Locale = "xx_YY" })).Message);
        Assert.Contains("do not fit", Assert.Throws<ArgumentException>(() => DistrictGenerator.Generate(new DistrictOptions { SizeKm = 1, CellSizeM = 100, Buildings = 20_000 })).Message);
    }

    [Fact]
    public void Fifty_thousand_buildings_generate_in_seconds()
    {
        var stopwatch = Stopwatch.StartNew();

        Model.District d = DistrictGenerator.Generate(new DistrictOptions { Seed = 2, Buildings = 50_000 });

        stopwatch.Stop();
        Assert.Equal(50_000, d.Buildings.Length);
        Assert.InRange(d.Counts.HomeSensors, 280_000, 320_000);

        // About 2 s on the project's 2-core machines; the bound only catches an accidental quadratic step.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"generation took {stopwatch.Elapsed}");
    }

    private double DistanceToRiver(UtmProjection utm, GeoPoint p)
    {
        Geometry river = utm.Forward(GeoGeometry.ToLineString(_district.River.Centreline));
        ProjectedPoint m = utm.Forward(p);
        return river.Distance(river.Factory.CreatePoint(new Coordinate(m.X, m.Y)));
    }

    private static byte[] Serialise(Model.District district)
    {
        using var stream = new MemoryStream();
        DistrictFile.Write(district, stream);
        return stream.ToArray();
    }
}
