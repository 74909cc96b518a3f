using CityTwin.Grains.Model;
using Bogus;
using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// One generation run. The order of random draws is part of the output contract: changing the order of the
/// steps below changes every district generated from a given seed.
/// </summary>
internal sealed class DistrictBuilder
{
    // 1e-7 degrees is about 1 cm: plenty for a city model and keeps the JSON short.
    private const int Decimals = 7;

    // Buildings, sites and sensors stay this far inside the square so rounding can never push them out.
    private const double EdgeMargin = 5;

    private static readonly string[] MobilePrefixes = ["133", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "189", "199"];
    private static readonly string[] PlateLetters = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"];

    private readonly DistrictOptions _options;
    private readonly Randomizer _random;
    private readonly Faker _faker;
    private readonly bool _chinese;
    private readonly UtmProjection _utm;
    private readonly GeoPoint _centre;
    private readonly UtmRect _box;
    private RiverModel _river = null!;
    private Terrain _terrain;
    private string _riverName = "";

    private readonly List<Area> _areas = new();
    private readonly List<GridPlan> _grids = new();
    private readonly List<(UtmRect Rect, double DrainageBase, string Name)> _streets = new();
    private readonly List<Building> _buildings = new();
    private readonly List<Sensor> _sensors = new();
    private readonly List<UtmRect> _footprints = new();

    public DistrictBuilder(DistrictOptions options)
    {
        _options = options;
        _random = new Randomizer(options.Seed);
        try
        {
            // Never Randomizer.Seed: it is process-wide static state in Bogus.
            _faker = new Faker(options.Locale) { Random = _random };
        }
        catch (BogusException ex)
        {
            throw new ArgumentException($"District option Locale '{options.Locale}' is not a Bogus locale: {ex.Message}", nameof(options), ex);
        }

        _chinese = options.Locale.StartsWith("zh", StringComparison.Ordinal);
        _centre = new GeoPoint(options.CentreLon, options.CentreLat);
        _utm = UtmProjection.ForCentre(_centre);
        ProjectedPoint c = _utm.Forward(_centre);
        double half = options.SizeKm * 500;
        _box = new UtmRect(c.X - half, c.Y - half, c.X + half, c.Y + half);
    }

    public District Build()
    {
        _river = new RiverModel(_random, _box);
        _riverName = _chinese ? "锦江" : "Jin River";
        _terrain = Terrain.Create(_random);

        CellGrid cells = BuildCells();
        BuildAreas();
        BuildBuildings(cells);
        FinishCells(cells);
        List<(ProjectedPoint Point, double ChainageM)> centreline = _river.Inside(_box);
        RiverGauge[] gauges = BuildGauges(cells, centreline);
        Geofence[] geofences = BuildGeofences(out List<(Geofence Fence, ProjectedPoint At)> sites, out List<ProjectedPoint> checkpoints);
        Station[] stations = BuildStations();
        Vehicle[] vehicles = BuildVehicles(stations, sites);
        Responder[] responders = BuildResponders();
        int homeSensors = _sensors.Count;
        BuildStreetSensors(sites, checkpoints);

        Sensor[] sensors = _sensors.ToArray();
        Building[] buildings = _buildings.ToArray();
        Area[] areas = _areas.ToArray();
        var counts = new DistrictCounts(
            buildings.Length, homeSensors, sensors.Length - homeSensors, cells.Columns * cells.Rows, areas.Length, gauges.Length,
            stations.Length, vehicles.Length, responders.Length, geofences.Length,
            (long)buildings.Length + sensors.Length + (cells.Columns * cells.Rows) + areas.Length + gauges.Length + vehicles.Length + responders.Length);

        var river = new River(_riverName, _options.RiverWidthM, centreline.Select(p => ToGeo(p.Point)).ToArray());
        return new District(
            District.CurrentFormatVersion, _options.Name, _options, counts, _centre, _utm.Zone, _utm.IsNorth,
            RectRing(_box), EnclosingBox(), cells, river, gauges, areas, buildings, SensorProfiles.Defaults(),
            sensors, stations, vehicles, responders, geofences);
    }

    // ---- terrain -------------------------------------------------------------------------------------

    private double RiverClearance => _options.RiverWidthM / 2;

    private CellGrid BuildCells()
    {
        double size = _options.CellSizeM;
        int n = (int)Math.Round(_box.Width / size);
        int count = n * n;
        var elevation = new double[count];
        var isRiver = new bool[count];

        // A cell the centreline passes through has its centre within half a diagonal of it; using that as the
        // threshold makes river cells a 4-connected chain, which the flood routing relies on.
        double riverThreshold = Math.Max(size * Math.Sqrt(0.5), RiverClearance);
        for (int row = 0; row < n; row++)
        {
            for (int col = 0; col < n; col++)
            {
                int i = (row * n) + col;
                var p = new ProjectedPoint(_box.MinX + ((col + 0.5) * size), _box.MinY + ((row + 0.5) * size));
                double distance = _river.Distance(p, Terrain.FarDistance);
                isRiver[i] = distance <= riverThreshold;
                double z = isRiver[i]
                    ? _terrain.BedElevation(_river.AxisOf(p))
                    : _terrain.Elevation(p, _river.AxisOf(p), distance) + _random.Double(-0.15, 0.15);
                elevation[i] = Math.Round(z, 2);
            }
        }

        return new CellGrid(n, n, size, _box.MinX, _box.MinY, elevation, new double[count], new double[count], new double[count], isRiver);
    }

    private void FinishCells(CellGrid cells)
    {
        int count = cells.Columns * cells.Rows;
        double cellArea = cells.CellSizeM * cells.CellSizeM;
        var covered = new double[count];
        for (int b = 0; b < _buildings.Count; b++)
        {
            covered[_buildings[b].CellIndex] += _footprints[b].Width * _footprints[b].Height;
        }

        for (int i = 0; i < count; i++)
        {
            if (cells.IsRiver[i])
            {
                // Open water: all rain runs off, and the river itself is the outlet rather than a drained surface.
                cells.Imperviousness[i] = 1;
                cells.CurveNumber[i] = 98;
                cells.DrainageMmPerHour[i] = 0;
                continue;
            }

            // Roads and paving make even building-free city cells about half impervious.
            double coverage = covered[i] / cellArea;
            double imperviousness = Math.Clamp(0.42 + (1.3 * coverage) + _random.Double(-0.08, 0.08), 0.05, 0.97);

            // Pervious ground: lawns on hydrologic soil groups B-C (TR-55 curve numbers 61-74).
            double perviousCn = _random.Double(61, 74);
            cells.Imperviousness[i] = Math.Round(imperviousness, 3);
            cells.CurveNumber[i] = Math.Round((perviousCn * (1 - imperviousness)) + (98 * imperviousness), 1);
            ProjectedPoint centre = cells.CentreOf(i);
            double drainageBase = _streets.Count > 0 ? _streets[0].DrainageBase : 35;
            foreach ((UtmRect rect, double baseRate, _) in _streets)
            {
                if (rect.Contains(centre))
                {
                    drainageBase = baseRate;
                    break;
                }
            }

            cells.DrainageMmPerHour[i] = Math.Round(drainageBase + _random.Double(-3, 3), 1);
        }
    }

    // ---- areas ---------------------------------------------------------------------------------------

    private void BuildAreas()
    {
        _areas.Add(new Area("district", AreaKind.District, _options.Name, null, RectRing(_box),
            [Person("director"), Person("emergencyDutyOfficer")]));

        var streetRects = new List<UtmRect>();
        Split(_box, _options.StreetCount(), streetRects);
        for (int s = 0; s < streetRects.Count; s++)
        {
            string streetId = $"street-{s + 1}";
            string streetName = _chinese ? $"{_faker.Address.StreetName()}街道" : $"{_faker.Address.StreetName()} Subdistrict";

            // Older cores drain 1-year storms (~25-35 mm/h); newer areas are built to 2-3 years (~40-50 mm/h).
            _streets.Add((streetRects[s], _random.Double(25, 50), streetName));
            _areas.Add(new Area(streetId, AreaKind.Street, streetName, "district", RectRing(streetRects[s]),
                [Person("director"), Person("dutyOfficer")]));

            var communityRects = new List<UtmRect>();
            Split(streetRects[s], _options.CommunitiesPerStreet, communityRects);
            for (int c = 0; c < communityRects.Count; c++)
            {
                string communityId = $"community-{s + 1}-{c + 1}";
                string communityName = _chinese ? $"{_faker.Address.StreetName()}社区" : $"{_faker.Address.StreetName()} Community";
                _areas.Add(new Area(communityId, AreaKind.Community, communityName, streetId, RectRing(communityRects[c]),
                    [Person("secretary"), Person("communityWorker"), Person("communityWorker")]));

                var gridRects = new List<UtmRect>();
                Split(communityRects[c], _options.GridsPerCommunity, gridRects);
                for (int g = 0; g < gridRects.Count; g++)
                {
                    string gridId = $"grid-{s + 1}-{c + 1}-{g + 1}";
                    string gridName = _chinese ? $"{communityName}第{g + 1}网格" : $"{communityName} Grid {g + 1}";
                    _areas.Add(new Area(gridId, AreaKind.Grid, gridName, communityId, RectRing(gridRects[g]), [Person("gridLeader")]));
                    _grids.Add(new GridPlan(gridId, communityId, streetId, gridRects[g]));
                }
            }
        }
    }

    /// <summary>Guillotine split into exactly <paramref name="parts"/> rectangles tiling <paramref name="rect"/>.</summary>
    private void Split(UtmRect rect, int parts, List<UtmRect> output)
    {
        if (parts <= 1)
        {
            output.Add(rect);
            return;
        }

        int first = parts / 2;

        // Jitter the cut so areas differ in size like real ones, but never so far that a part degenerates.
        double fraction = Math.Clamp((first / (double)parts) * _random.Double(0.85, 1.15), 0.15, 0.85);
        if (rect.Width >= rect.Height)
        {
            double cut = rect.MinX + (fraction * rect.Width);
            Split(rect with { MaxX = cut }, first, output);
            Split(rect with { MinX = cut }, parts - first, output);
        }
        else
        {
            double cut = rect.MinY + (fraction * rect.Height);
            Split(rect with { MaxY = cut }, first, output);
            Split(rect with { MinY = cut }, parts - first, output);
        }
    }

    // ---- buildings -----------------------------------------------------------------------------------

    private void BuildBuildings(CellGrid cells)
    {
        int target = _options.Buildings;
        if (target == 0)
        {
            return;
        }

        List<Lot> lots = PlanLots(target);

        // Partial Fisher-Yates: choose `target` lots uniformly, then restore lot order so building ids run grid by grid.
        for (int i = 0; i < target; i++)
        {
            int j = _random.Number(i, lots.Count - 1);
            (lots[i], lots[j]) = (lots[j], lots[i]);
        }

        lots.RemoveRange(target, lots.Count - target);
        lots.Sort(static (a, b) => a.Order.CompareTo(b.Order));

        var footprints = new UtmRect[target];
        var uses = new BuildingUse[target];
        for (int i = 0; i < target; i++)
        {
            uses[i] = PickUse();
            footprints[i] = PlaceFootprint(lots[i].Rect, uses[i]);
        }

        // One batched inverse projection for all corners and centroids: ProjNET is fastest over spans.
        var projected = new ProjectedPoint[target * 5];
        for (int i = 0; i < target; i++)
        {
            footprints[i].Ring(projected.AsSpan(i * 5, 5));
            projected[(i * 5) + 4] = footprints[i].Centre;
        }

        var geo = new GeoPoint[projected.Length];
        _utm.Inverse(projected, geo);
        for (int i = 0; i < geo.Length; i++)
        {
            geo[i] = geo[i].Round(Decimals);
        }

        // Assign cells from the rounded centroid, as any reader of the file will compute it.
        var centroids = new GeoPoint[target];
        for (int i = 0; i < target; i++)
        {
            centroids[i] = geo[(i * 5) + 4];
        }

        var centroidsUtm = new ProjectedPoint[target];
        _utm.Forward(centroids, centroidsUtm);

        for (int i = 0; i < target; i++)
        {
            GridPlan grid = _grids[lots[i].Grid];
            GeoPoint[] ring = [geo[i * 5], geo[(i * 5) + 1], geo[(i * 5) + 2], geo[(i * 5) + 3], geo[i * 5]];
            AddBuilding(i, uses[i], footprints[i], ring, centroids[i], grid, cells.IndexAt(centroidsUtm[i]));
        }
    }

    private List<Lot> PlanLots(int target)
    {
        // Lots on a regular lattice inside each grid give non-overlapping footprints that never straddle an
        // area boundary. Aim for ~30 % spare lots so the choice among them is random.
        double landArea = (_box.Width * _box.Height) - (_box.Width * 1.2 * _options.RiverWidthM);
        double lotSize = Math.Sqrt(landArea / (target * 1.3));
        for (int attempt = 0; attempt < 40; attempt++)
        {
            if (lotSize < 10)
            {
                break;
            }

            var lots = new List<Lot>(target * 2);
            for (int g = 0; g < _grids.Count; g++)
            {
                UtmRect usable = _grids[g].Rect.Shrink(2);
                int cols = (int)Math.Floor(usable.Width / lotSize);
                int rows = (int)Math.Floor(usable.Height / lotSize);
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < cols; c++)
                    {
                        var lot = new UtmRect(usable.MinX + (c * lotSize), usable.MinY + (r * lotSize), usable.MinX + ((c + 1) * lotSize), usable.MinY + ((r + 1) * lotSize));
                        double clearance = RiverClearance + (lotSize * 0.75) + 5;
                        if (_river.Distance(lot.Centre, clearance) > clearance)
                        {
                            lots.Add(new Lot(g, lots.Count, lot));
                        }
                    }
                }
            }

            if (lots.Count >= target)
            {
                return lots;
            }

            lotSize *= 0.93;
        }

        throw new ArgumentException(
            $"District option Buildings: {target:N0} buildings do not fit in {_options.SizeKm} km x {_options.SizeKm} km " +
            "with lots of at least 10 m; increase SizeKm or reduce Buildings.", nameof(DistrictOptions.Buildings));
    }

    private BuildingUse PickUse()
    {
        double x = _random.Double();
        return x switch
        {
            < 0.73 => BuildingUse.Residential,
            < 0.83 => BuildingUse.Commercial,
            < 0.88 => BuildingUse.Office,
            < 0.91 => BuildingUse.Industrial,
            < 0.94 => BuildingUse.School,
            < 0.95 => BuildingUse.Hospital,
            < 0.97 => BuildingUse.ElderlyCare,
            _ => BuildingUse.Government,
        };
    }

    private UtmRect PlaceFootprint(UtmRect lot, BuildingUse use)
    {
        (double minW, double maxW, double minD, double maxD) = use switch
        {
            BuildingUse.Residential => (15.0, 32.0, 10.0, 18.0),
            BuildingUse.Commercial => (20.0, 60.0, 15.0, 40.0),
            BuildingUse.Office => (20.0, 40.0, 18.0, 30.0),
            BuildingUse.Industrial => (30.0, 80.0, 20.0, 50.0),
            BuildingUse.School => (40.0, 80.0, 18.0, 35.0),
            BuildingUse.Hospital => (40.0, 80.0, 30.0, 60.0),
            BuildingUse.ElderlyCare => (20.0, 40.0, 12.0, 20.0),
            _ => (20.0, 40.0, 15.0, 25.0),
        };
        double limit = lot.Width * 0.8;
        double width = Math.Min(_random.Double(minW, maxW), limit);
        double depth = Math.Min(_random.Double(minD, maxD), limit);
        double slackX = ((lot.Width - width) / 2) - (lot.Width * 0.05);
        double slackY = ((lot.Height - depth) / 2) - (lot.Height * 0.05);
        ProjectedPoint c = lot.Centre;
        var centre = new ProjectedPoint(c.X + _random.Double(-slackX, slackX), c.Y + _random.Double(-slackY, slackY));
        return UtmRect.Around(centre, width, depth);
    }

    private void AddBuilding(int id, BuildingUse use, UtmRect footprint, GeoPoint[] ring, GeoPoint centroid, GridPlan grid, int cellIndex)
    {
        double area = footprint.Width * footprint.Height;
        int floors = use switch
        {
            // Chengdu: many 6-7 storey walk-ups from the 1990s, newer 11-18 storey slabs and 24-33 storey towers.
            BuildingUse.Residential => _random.Double() switch
            {
                < 0.55 => _random.Number(5, 7),
                < 0.85 => _random.Number(11, 18),
                _ => _random.Number(24, 33),
            },
            BuildingUse.Commercial => _random.Double() < 0.85 ? _random.Number(2, 8) : _random.Number(20, 45),
            BuildingUse.Office => _random.Number(8, 30),
            BuildingUse.Industrial => _random.Number(1, 3),
            BuildingUse.School => _random.Number(3, 5),
            BuildingUse.Hospital => _random.Number(5, 16),
            BuildingUse.ElderlyCare => _random.Number(3, 8),
            _ => _random.Number(4, 12),
        };

        int households = 0, occupants, elderly = 0;
        switch (use)
        {
            case BuildingUse.Residential:
                households = (int)Math.Round(floors * _random.Number(2, 4) * _random.Double(0.85, 0.98));
                occupants = (int)Math.Round(households * _random.Double(2.2, 3.0));
                elderly = SampleElderly(occupants);
                break;
            case BuildingUse.ElderlyCare:
                occupants = (int)Math.Round(area * floors / 35);
                elderly = (int)Math.Round(occupants * _random.Double(0.8, 0.95));
                break;
            case BuildingUse.School:
                occupants = _random.Number(400, 2000);
                break;
            default:
                double perPerson = use switch
                {
                    BuildingUse.Office => 15.0,
                    BuildingUse.Commercial => 40.0,
                    BuildingUse.Hospital => 30.0,
                    BuildingUse.Industrial => 60.0,
                    _ => 25.0,
                };
                occupants = (int)Math.Round(area * floors / perPerson * _random.Double(0.5, 0.9));
                break;
        }

        Contact[] contacts = elderly > 0 ? [Person("propertyManager"), Person("family")] : [Person("propertyManager")];
        int firstSensor = _sensors.Count;
        AddHomeSensors(id, use, floors, centroid);
        _footprints.Add(footprint);
        _buildings.Add(new Building(id, use, floors, centroid, ring, households, occupants, elderly, grid.GridId, grid.CommunityId,
            grid.StreetId, cellIndex, contacts, firstSensor, _sensors.Count - firstSensor));
    }

    private int SampleElderly(int occupants)
    {
        // Old walk-ups hold many more elderly residents than new towers: vary the share per building around the
        // option's mean, then draw a binomial count (normal approximation).
        double p = Math.Min(_options.ElderlyShare * _random.Double(0.5, 1.5), 0.95);
        double mean = occupants * p;
        double sd = Math.Sqrt(occupants * p * (1 - p));
        return (int)Math.Clamp(Math.Round(mean + (sd * Gaussian())), 0, occupants);
    }

    private void AddHomeSensors(int buildingId, BuildingUse use, int floors, GeoPoint position)
    {
        HomeSensorMix mix = _options.HomeSensors;
        bool residents = use is BuildingUse.Residential or BuildingUse.ElderlyCare;
        AddHome(SensorKind.Gas, mix.Gas);
        AddHome(SensorKind.Smoke, mix.Smoke);
        AddHome(SensorKind.CarbonMonoxide, mix.CarbonMonoxide);
        AddHome(SensorKind.SosButton, residents ? mix.SosButton : 0);
        AddHome(SensorKind.WaterMeter, residents ? mix.WaterMeter : 0);

        void AddHome(SensorKind kind, double mean)
        {
            int n = Poisson(mean);
            for (int k = 0; k < n; k++)
            {
                _sensors.Add(new Sensor(_sensors.Count, kind, buildingId, _random.Number(1, floors), position));
            }
        }
    }

    // ---- river gauges --------------------------------------------------------------------------------

    private RiverGauge[] BuildGauges(CellGrid cells, List<(ProjectedPoint Point, double ChainageM)> centreline)
    {
        int count = _options.RiverGaugeCount();
        if (centreline.Count == 0 || count == 0)
        {
            return [];
        }

        double length = centreline[^1].ChainageM;
        var gauges = new RiverGauge[count];
        for (int i = 0; i < count; i++)
        {
            double target = length * (i + 0.5 + _random.Double(-0.2, 0.2)) / count;
            int k = 0;
            while (k < centreline.Count - 1 && centreline[k].ChainageM < target)
            {
                k++;
            }

            // Snap to a centreline vertex so the gauge sits exactly on the published river line.
            (ProjectedPoint at, double chainage) = centreline[k];
            GeoPoint position = ToGeo(at);
            double bed = _terrain.BedElevation(_river.AxisOf(at));
            double warning = bed + _random.Double(3.2, 3.8);
            double guaranteed = warning + _random.Double(0.8, 1.2);
            gauges[i] = new RiverGauge(
                $"gauge-{i + 1}",
                _chinese ? $"{_riverName}{i + 1}号水位站" : $"{_riverName} gauge {i + 1}",
                position,
                Math.Round(chainage, 1),
                cells.IndexAt(_utm.Forward(position)),
                Math.Round(bed, 2),
                Math.Round(bed + _random.Double(1.0, 1.6), 2),
                Math.Round(warning, 2),
                Math.Round(guaranteed, 2),
                Math.Round(warning + _random.Double(0.2, 1.6), 2));
        }

        return gauges;
    }

    // ---- muck-truck geofences ------------------------------------------------------------------------

    private Geofence[] BuildGeofences(out List<(Geofence Fence, ProjectedPoint At)> sites, out List<ProjectedPoint> checkpoints)
    {
        var fences = new List<Geofence>();
        sites = new List<(Geofence, ProjectedPoint)>();
        checkpoints = new List<ProjectedPoint>();
        for (int i = 0; i < _options.ConstructionSiteCount(); i++)
        {
            double w = _random.Double(80, 200), h = _random.Double(80, 200);
            ProjectedPoint at = LandPoint(_box.Shrink((Math.Max(w, h) / 2) + EdgeMargin), (Math.Max(w, h) * 0.75) + 10);
            string name = _chinese ? $"{_faker.Address.StreetName()}工地" : $"{_faker.Address.StreetName()} Construction Site";
            var fence = new Geofence($"site-{i + 1}", GeofenceKind.ConstructionSite, name, ToGeo(at), RectRing(UtmRect.Around(at, w, h)), 0);
            fences.Add(fence);
            sites.Add((fence, at));
        }

        for (int i = 0; i < _options.DisposalPointCount(); i++)
        {
            double w = _random.Double(100, 250), h = _random.Double(100, 250);

            // Disposal points sit at the edge of the built-up area, where trucks leave the district.
            ProjectedPoint at = LandPoint(EdgeBand(500, (Math.Max(w, h) / 2) + EdgeMargin), (Math.Max(w, h) * 0.75) + 10);
            string name = _chinese ? $"{_faker.Address.StreetName()}消纳场" : $"{_faker.Address.StreetName()} Disposal Point";
            fences.Add(new Geofence($"disposal-{i + 1}", GeofenceKind.DisposalPoint, name, ToGeo(at), RectRing(UtmRect.Around(at, w, h)), 0));
        }

        for (int i = 0; i < _options.CheckpointCount(); i++)
        {
            ProjectedPoint at = LandPoint(EdgeBand(250, 40), 40);
            string name = _chinese ? $"{_faker.Address.StreetName()}检查站" : $"{_faker.Address.StreetName()} Checkpoint";
            fences.Add(new Geofence($"checkpoint-{i + 1}", GeofenceKind.Checkpoint, name, ToGeo(at), null, 30));
            checkpoints.Add(at);
        }

        return fences.ToArray();
    }

    /// <summary>A band of <paramref name="depth"/> metres along a random edge of the square, inset by <paramref name="inset"/>.</summary>
    private UtmRect EdgeBand(double depth, double inset)
    {
        UtmRect inner = _box.Shrink(inset);
        double d = Math.Max(1, Math.Min(depth, inner.Width / 2));
        return _random.Number(0, 3) switch
        {
            0 => inner with { MaxY = inner.MinY + d },
            1 => inner with { MinY = inner.MaxY - d },
            2 => inner with { MaxX = inner.MinX + d },
            _ => inner with { MinX = inner.MaxX - d },
        };
    }

    // ---- stations, vehicles, responders --------------------------------------------------------------

    private Station[] BuildStations()
    {
        var stations = new List<Station>();
        for (int s = 0; s < _streets.Count; s++)
        {
            ProjectedPoint at = LandPoint(_streets[s].Rect.Shrink(EdgeMargin), 20);
            stations.Add(new Station($"police-station-{s + 1}", StationKind.PoliceStation, _chinese ? $"{_streets[s].Name}派出所" : $"{_streets[s].Name} Police Station", ToGeo(at), null));
        }

        for (int f = 0; f < _options.FireStationCount(); f++)
        {
            ProjectedPoint at = LandPoint(_box.Shrink(EdgeMargin), 20);
            stations.Add(new Station($"fire-station-{f + 1}", StationKind.FireStation, _chinese ? $"消防救援站{f + 1}" : $"Fire Station {f + 1}", ToGeo(at), null));
        }

        // Ambulances wait at hospitals; a district without one gets a stand-alone station.
        int ambulanceStations = 0;
        foreach (Building b in _buildings)
        {
            if (b.Use != BuildingUse.Hospital || ambulanceStations >= Math.Max(1, _options.AmbulanceCount()))
            {
                continue;
            }

            ambulanceStations++;
            stations.Add(new Station($"ambulance-station-{ambulanceStations}", StationKind.AmbulanceStation,
                _chinese ? $"急救站{ambulanceStations}" : $"Ambulance Station {ambulanceStations}", b.Centroid, b.Id));
        }

        if (ambulanceStations == 0)
        {
            ProjectedPoint at = LandPoint(_box.Shrink(EdgeMargin), 20);
            stations.Add(new Station("ambulance-station-1", StationKind.AmbulanceStation, _chinese ? "急救站1" : "Ambulance Station 1", ToGeo(at), null));
        }

        ProjectedPoint depot = LandPoint(EdgeBand(400, 60), 40);
        stations.Add(new Station("depot-1", StationKind.TruckDepot, _chinese ? "渣土车停车场" : "Truck Depot", ToGeo(depot), null));
        return stations.ToArray();
    }

    private Vehicle[] BuildVehicles(Station[] stations, List<(Geofence Fence, ProjectedPoint At)> sites)
    {
        var vehicles = new List<Vehicle>();
        Station[] police = stations.Where(s => s.Kind == StationKind.PoliceStation).ToArray();
        Station[] fire = stations.Where(s => s.Kind == StationKind.FireStation).ToArray();
        Station[] ambulance = stations.Where(s => s.Kind == StationKind.AmbulanceStation).ToArray();
        Station depot = stations.First(s => s.Kind == StationKind.TruckDepot);

        for (int i = 0; i < _options.PatrolCarCount(); i++)
        {
            Station home = police[i % police.Length];

            // Half the patrol cars start out on patrol somewhere in the district.
            GeoPoint at = _random.Bool() ? home.Position : ToGeo(LandPoint(_box.Shrink(EdgeMargin), 10));
            vehicles.Add(new Vehicle($"patrol-{i + 1}", VehicleKind.PatrolCar, Plate(), at, home.Id, null));
        }

        for (int i = 0; i < _options.FireEngineCount(); i++)
        {
            Station home = fire[i % fire.Length];
            vehicles.Add(new Vehicle($"fire-{i + 1}", VehicleKind.FireEngine, Plate(), home.Position, home.Id, null));
        }

        for (int i = 0; i < _options.AmbulanceCount(); i++)
        {
            Station home = ambulance[i % ambulance.Length];
            vehicles.Add(new Vehicle($"ambulance-{i + 1}", VehicleKind.Ambulance, Plate(), home.Position, home.Id, null));
        }

        for (int i = 0; i < _options.MuckTruckCount(); i++)
        {
            (Geofence Fence, ProjectedPoint At)? site = sites.Count > 0 ? sites[i % sites.Count] : null;
            GeoPoint at = _random.Double() switch
            {
                < 0.4 when site is not null => site.Value.Fence.Centre,
                < 0.7 => depot.Position,
                _ => ToGeo(LandPoint(_box.Shrink(EdgeMargin), 10)),
            };
            vehicles.Add(new Vehicle($"muck-{i + 1}", VehicleKind.MuckTruck, Plate(), at, depot.Id, site?.Fence.Id));
        }

        return vehicles.ToArray();
    }

    private Responder[] BuildResponders()
    {
        var responders = new List<Responder>(_grids.Count * _options.RespondersPerGrid);
        foreach (GridPlan grid in _grids)
        {
            string suffix = grid.GridId["grid-".Length..];
            for (int r = 0; r < _options.RespondersPerGrid; r++)
            {
                ProjectedPoint at = LandPoint(grid.Rect.Shrink(2), 5);
                responders.Add(new Responder($"responder-{suffix}-{r + 1}", Name(), Phone(), $"HT-{responders.Count + 1:D6}", grid.GridId, ToGeo(at)));
            }
        }

        return responders.ToArray();
    }

    // ---- street sensors ------------------------------------------------------------------------------

    private void BuildStreetSensors(List<(Geofence Fence, ProjectedPoint At)> sites, List<ProjectedPoint> checkpoints)
    {
        StreetSensorMix mix = _options.StreetSensors;
        double km2 = _options.AreaKm2();
        UtmRect inner = _box.Shrink(EdgeMargin);
        AddRandom(SensorKind.Rain, Math.Max(1, (int)Math.Round(mix.RainPerKm2 * km2)));
        AddRandom(SensorKind.Wind, Math.Max(1, (int)Math.Round(mix.WindPerKm2 * km2)));
        AddRandom(SensorKind.AirPressure, Math.Max(1, (int)Math.Round(mix.AirPressurePerKm2 * km2)));
        AddRandom(SensorKind.SoilMoisture, (int)Math.Round(mix.SoilMoisturePerKm2 * km2));
        AddRandom(SensorKind.Pm10, (int)Math.Round(mix.Pm10PerKm2 * km2));
        foreach ((Geofence fence, _) in sites)
        {
            AddStreet(SensorKind.Pm10, fence.Centre);
        }

        AddRandom(SensorKind.Parking, (int)Math.Round(mix.ParkingPerBuilding * _buildings.Count));
        foreach (GridPlan grid in _grids)
        {
            int cameras = Poisson(mix.AiCamerasPerGrid);
            for (int k = 0; k < cameras; k++)
            {
                AddStreet(SensorKind.AiCamera, ToGeo(LandPoint(grid.Rect.Shrink(2), 5)));
            }
        }

        foreach (ProjectedPoint checkpoint in checkpoints)
        {
            AddStreet(SensorKind.AiCamera, ToGeo(checkpoint));
        }

        void AddRandom(SensorKind kind, int count)
        {
            for (int k = 0; k < count; k++)
            {
                AddStreet(kind, ToGeo(LandPoint(inner, 5)));
            }
        }

        void AddStreet(SensorKind kind, GeoPoint position) => _sensors.Add(new Sensor(_sensors.Count, kind, -1, 0, position));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /// <summary>A random point in <paramref name="area"/> at least <paramref name="clearance"/> metres beyond the river bank.</summary>
    private ProjectedPoint LandPoint(UtmRect area, double clearance)
    {
        ProjectedPoint p = area.Centre;
        for (int attempt = 0; attempt < 64; attempt++)
        {
            p = new ProjectedPoint(_random.Double(area.MinX, area.MaxX), _random.Double(area.MinY, area.MaxY));
            double needed = RiverClearance + clearance;
            if (_river.Distance(p, needed) > needed)
            {
                return p;
            }
        }

        // An area almost entirely under the river (a tiny grid on the channel): accept the last draw.
        return p;
    }

    private GeoPoint ToGeo(ProjectedPoint p) => _utm.Inverse(p).Round(Decimals);

    private GeoPoint[] RectRing(UtmRect rect)
    {
        Span<ProjectedPoint> ring = stackalloc ProjectedPoint[5];
        rect.Ring(ring);
        var geo = new GeoPoint[5];
        _utm.Inverse(ring, geo);
        for (int i = 0; i < geo.Length; i++)
        {
            geo[i] = geo[i].Round(Decimals);
        }

        return geo;
    }

    private GeoBox EnclosingBox()
    {
        // The square's edges bow slightly in lon/lat, so take the envelope of densely sampled edges and round it
        // outwards: every generated position must lie inside the published box.
        const int perEdge = 64;
        var edge = new ProjectedPoint[perEdge * 4];
        for (int i = 0; i < perEdge; i++)
        {
            double t = i / (double)perEdge;
            edge[i] = new ProjectedPoint(_box.MinX + (t * _box.Width), _box.MinY);
            edge[perEdge + i] = new ProjectedPoint(_box.MaxX, _box.MinY + (t * _box.Height));
            edge[(2 * perEdge) + i] = new ProjectedPoint(_box.MaxX - (t * _box.Width), _box.MaxY);
            edge[(3 * perEdge) + i] = new ProjectedPoint(_box.MinX, _box.MaxY - (t * _box.Height));
        }

        var geo = new GeoPoint[edge.Length];
        _utm.Inverse(edge, geo);
        GeoBox box = GeoBox.Enclosing(geo);
        const double scale = 1e7;
        return new GeoBox(
            Math.Floor(box.MinLon * scale) / scale, Math.Floor(box.MinLat * scale) / scale,
            Math.Ceiling(box.MaxLon * scale) / scale, Math.Ceiling(box.MaxLat * scale) / scale);
    }

    private Contact Person(string role) => new(Name(), role, Phone());

    private string Name() => _chinese ? _faker.Name.LastName() + _faker.Name.FirstName() : _faker.Name.FullName();

    private string Phone() =>
        _chinese ? _random.ArrayElement(MobilePrefixes) + _random.Replace("########") : _faker.Phone.PhoneNumber("###-###-####");

    private string Plate() =>
        _chinese
            ? "川A" + _random.ArrayElement(PlateLetters) + _random.Replace("####")
            : _random.Replace("???-####").ToUpperInvariant();

    private int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        // Knuth's multiplication method: fine for the small per-building means used here (validated <= 50).
        double limit = Math.Exp(-mean);
        int k = 0;
        double product = _random.Double();
        while (product > limit)
        {
            k++;
            product *= _random.Double();
        }

        return k;
    }

    private double Gaussian()
    {
        // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1 - _random.Double();
        double u2 = _random.Double();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private readonly record struct GridPlan(string GridId, string CommunityId, string StreetId, UtmRect Rect);

    private readonly record struct Lot(int Grid, int Order, UtmRect Rect);
}
