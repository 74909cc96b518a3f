using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The buildings part of a generation run: lots on a lattice inside each grid (clear of the river), a random choice of
/// them, each with a use, a footprint, floors, households, occupants (elderly sampled per building), contacts and its
/// home sensors, added to <c>sensors</c> as the building is made.
/// </summary>
internal sealed class BuildingLayout(DistrictFrame frame, IReadOnlyList<GridPlan> grids, List<Sensor> sensors)
{
    private readonly List<Building> _buildings = new();
    private readonly List<UtmRect> _footprints = new();

    /// <summary>The buildings, in id order.</summary>
    public IReadOnlyList<Building> Buildings => _buildings;

    /// <summary>The buildings' footprints in UTM metres, in id order.</summary>
    public IReadOnlyList<UtmRect> Footprints => _footprints;

    /// <summary>Places <see cref="DistrictOptions.Buildings"/> buildings on <paramref name="cells"/>.</summary>
    public void BuildBuildings(CellGrid cells)
    {
        int target = frame.Options.Buildings;
        if (target == 0)
        {
            return;
        }

        List<Lot> lots = PlanLots(target);

        // Partial Fisher-Yates: choose `target` lots uniformly, then restore lot order so building ids run grid by grid.
        for (int i = 0; i < target; i++)
        {
            int j = frame.Random.Number(i, lots.Count - 1);
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
        frame.Utm.Inverse(projected, geo);
        for (int i = 0; i < geo.Length; i++)
        {
            geo[i] = geo[i].Round(DistrictFrame.Decimals);
        }

        // Assign cells from the rounded centroid, as any reader of the file will compute it.
        var centroids = new GeoPoint[target];
        for (int i = 0; i < target; i++)
        {
            centroids[i] = geo[(i * 5) + 4];
        }

        var centroidsUtm = new ProjectedPoint[target];
        frame.Utm.Forward(centroids, centroidsUtm);

        for (int i = 0; i < target; i++)
        {
            GridPlan grid = grids[lots[i].Grid];
            GeoPoint[] ring = [geo[i * 5], geo[(i * 5) + 1], geo[(i * 5) + 2], geo[(i * 5) + 3], geo[i * 5]];
            AddBuilding(i, uses[i], footprints[i], ring, centroids[i], grid, cells.IndexAt(centroidsUtm[i]));
        }
    }

    private List<Lot> PlanLots(int target)
    {
        // Lots on a regular lattice inside each grid give non-overlapping footprints that never straddle an
        // area boundary. Aim for ~30 % spare lots so the choice among them is random.
        double landArea = (frame.Box.Width * frame.Box.Height) - (frame.Box.Width * 1.2 * frame.Options.RiverWidthM);
        double lotSize = Math.Sqrt(landArea / (target * 1.3));
        for (int attempt = 0; attempt < 40; attempt++)
        {
            if (lotSize < 10)
            {
                break;
            }

            var lots = new List<Lot>(target * 2);
            for (int g = 0; g < grids.Count; g++)
            {
                UtmRect usable = grids[g].Rect.Shrink(2);
                int cols = (int)Math.Floor(usable.Width / lotSize);
                int rows = (int)Math.Floor(usable.Height / lotSize);
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < cols; c++)
                    {
                        var lot = new UtmRect(usable.MinX + (c * lotSize), usable.MinY + (r * lotSize), usable.MinX + ((c + 1) * lotSize), usable.MinY + ((r + 1) * lotSize));
                        double clearance = frame.RiverClearance + (lotSize * 0.75) + 5;
                        if (frame.River.Distance(lot.Centre, clearance) > clearance)
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
            $"District option Buildings: {target:N0} buildings do not fit in {frame.Options.SizeKm} km x {frame.Options.SizeKm} km " +
            "with lots of at least 10 m; increase SizeKm or reduce Buildings.", nameof(DistrictOptions.Buildings));
    }

    private BuildingUse PickUse()
    {
        double x = frame.Random.Double();
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
        double width = Math.Min(frame.Random.Double(minW, maxW), limit);
        double depth = Math.Min(frame.Random.Double(minD, maxD), limit);
        double slackX = ((lot.Width - width) / 2) - (lot.Width * 0.05);
        double slackY = ((lot.Height - depth) / 2) - (lot.Height * 0.05);
        ProjectedPoint c = lot.Centre;
        var centre = new ProjectedPoint(c.X + frame.Random.Double(-slackX, slackX), c.Y + frame.Random.Double(-slackY, slackY));
        return UtmRect.Around(centre, width, depth);
    }

    private void AddBuilding(int id, BuildingUse use, UtmRect footprint, GeoPoint[] ring, GeoPoint centroid, GridPlan grid, int cellIndex)
    {
        double area = footprint.Width * footprint.Height;
        int floors = use switch
        {
            // Chengdu: many 6-7 storey walk-ups from the 1990s, newer 11-18 storey slabs and 24-33 storey towers.
            BuildingUse.Residential => frame.Random.Double() switch
            {
                < 0.55 => frame.Random.Number(5, 7),
                < 0.85 => frame.Random.Number(11, 18),
                _ => frame.Random.Number(24, 33),
            },
            BuildingUse.Commercial => frame.Random.Double() < 0.85 ? frame.Random.Number(2, 8) : frame.Random.Number(20, 45),
            BuildingUse.Office => frame.Random.Number(8, 30),
            BuildingUse.Industrial => frame.Random.Number(1, 3),
            BuildingUse.School => frame.Random.Number(3, 5),
            BuildingUse.Hospital => frame.Random.Number(5, 16),
            BuildingUse.ElderlyCare => frame.Random.Number(3, 8),
            _ => frame.Random.Number(4, 12),
        };

        int households = 0, occupants, elderly = 0;
        switch (use)
        {
            case BuildingUse.Residential:
                households = (int)Math.Round(floors * frame.Random.Number(2, 4) * frame.Random.Double(0.85, 0.98));
                occupants = (int)Math.Round(households * frame.Random.Double(2.2, 3.0));
                elderly = SampleElderly(occupants);
                break;
            case BuildingUse.ElderlyCare:
                occupants = (int)Math.Round(area * floors / 35);
                elderly = (int)Math.Round(occupants * frame.Random.Double(0.8, 0.95));
                break;
            case BuildingUse.School:
                occupants = frame.Random.Number(400, 2000);
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
                occupants = (int)Math.Round(area * floors / perPerson * frame.Random.Double(0.5, 0.9));
                break;
        }

        Contact[] contacts = elderly > 0 ? [frame.Person("propertyManager"), frame.Person("family")] : [frame.Person("propertyManager")];
        int firstSensor = sensors.Count;
        AddHomeSensors(id, use, floors, centroid);
        _footprints.Add(footprint);
        _buildings.Add(new Building(id, use, floors, centroid, ring, households, occupants, elderly, grid.GridId, grid.CommunityId,
            grid.StreetId, cellIndex, contacts, firstSensor, sensors.Count - firstSensor));
    }

    private int SampleElderly(int occupants)
    {
        // Old walk-ups hold many more elderly residents than new towers: vary the share per building around the
        // option's mean, then draw a binomial count (normal approximation).
        double p = Math.Min(frame.Options.ElderlyShare * frame.Random.Double(0.5, 1.5), 0.95);
        double mean = occupants * p;
        double sd = Math.Sqrt(occupants * p * (1 - p));
        return (int)Math.Clamp(Math.Round(mean + (sd * frame.Gaussian())), 0, occupants);
    }

    private void AddHomeSensors(int buildingId, BuildingUse use, int floors, GeoPoint position)
    {
        HomeSensorMix mix = frame.Options.HomeSensors;
        bool residents = use is BuildingUse.Residential or BuildingUse.ElderlyCare;
        AddHome(SensorKind.Gas, mix.Gas);
        AddHome(SensorKind.Smoke, mix.Smoke);
        AddHome(SensorKind.CarbonMonoxide, mix.CarbonMonoxide);
        AddHome(SensorKind.SosButton, residents ? mix.SosButton : 0);
        AddHome(SensorKind.WaterMeter, residents ? mix.WaterMeter : 0);

        void AddHome(SensorKind kind, double mean)
        {
            int n = frame.Poisson(mean);
            for (int k = 0; k < n; k++)
            {
                sensors.Add(new Sensor(sensors.Count, kind, buildingId, frame.Random.Number(1, floors), position));
            }
        }
    }

    private readonly record struct Lot(int Grid, int Order, UtmRect Rect);
}
