using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The fleet part of a generation run: police stations per street, fire stations, ambulance stations at hospitals, the
/// truck depot; patrol cars, fire engines, ambulances and muck trucks at or near them; and grid workers in their grids.
/// </summary>
internal sealed class FleetLayout(DistrictFrame frame, IReadOnlyList<(UtmRect Rect, double DrainageBase, string Name)> streets, IReadOnlyList<GridPlan> grids, IReadOnlyList<Building> buildings)
{
    /// <summary>The stations (police, fire, ambulance, truck depot).</summary>
    public Station[] BuildStations()
    {
        var stations = new List<Station>();
        for (int s = 0; s < streets.Count; s++)
        {
            ProjectedPoint at = frame.LandPoint(streets[s].Rect.Shrink(DistrictFrame.EdgeMargin), 20);
            stations.Add(new Station($"police-station-{s + 1}", StationKind.PoliceStation, frame.Chinese ? $"{streets[s].Name}派出所" : $"{streets[s].Name} Police Station", frame.ToGeo(at), null));
        }

        for (int f = 0; f < frame.Options.FireStationCount(); f++)
        {
            ProjectedPoint at = frame.LandPoint(frame.Box.Shrink(DistrictFrame.EdgeMargin), 20);
            stations.Add(new Station($"fire-station-{f + 1}", StationKind.FireStation, frame.Chinese ? $"消防救援站{f + 1}" : $"Fire Station {f + 1}", frame.ToGeo(at), null));
        }

        // Ambulances wait at hospitals; a district without one gets a stand-alone station.
        int ambulanceStations = 0;
        foreach (Building b in buildings)
        {
            if (b.Use != BuildingUse.Hospital || ambulanceStations >= Math.Max(1, frame.Options.AmbulanceCount()))
            {
                continue;
            }

            ambulanceStations++;
            stations.Add(new Station($"ambulance-station-{ambulanceStations}", StationKind.AmbulanceStation,
                frame.Chinese ? $"急救站{ambulanceStations}" : $"Ambulance Station {ambulanceStations}", b.Centroid, b.Id));
        }

        if (ambulanceStations == 0)
        {
            ProjectedPoint at = frame.LandPoint(frame.Box.Shrink(DistrictFrame.EdgeMargin), 20);
            stations.Add(new Station("ambulance-station-1", StationKind.AmbulanceStation, frame.Chinese ? "急救站1" : "Ambulance Station 1", frame.ToGeo(at), null));
        }

        ProjectedPoint depot = frame.LandPoint(frame.EdgeBand(400, 60), 40);
        stations.Add(new Station("depot-1", StationKind.TruckDepot, frame.Chinese ? "渣土车停车场" : "Truck Depot", frame.ToGeo(depot), null));
        return stations.ToArray();
    }

    /// <summary>The vehicles, homed at <paramref name="stations"/>; muck trucks serve <paramref name="sites"/>.</summary>
    public Vehicle[] BuildVehicles(Station[] stations, List<(Geofence Fence, ProjectedPoint At)> sites)
    {
        var vehicles = new List<Vehicle>();
        Station[] police = stations.Where(s => s.Kind == StationKind.PoliceStation).ToArray();
        Station[] fire = stations.Where(s => s.Kind == StationKind.FireStation).ToArray();
        Station[] ambulance = stations.Where(s => s.Kind == StationKind.AmbulanceStation).ToArray();
        Station depot = stations.First(s => s.Kind == StationKind.TruckDepot);

        for (int i = 0; i < frame.Options.PatrolCarCount(); i++)
        {
            Station home = police[i % police.Length];

            // Half the patrol cars start out on patrol somewhere in the district.
            GeoPoint at = frame.Random.Bool() ? home.Position : frame.ToGeo(frame.LandPoint(frame.Box.Shrink(DistrictFrame.EdgeMargin), 10));
            vehicles.Add(new Vehicle($"patrol-{i + 1}", VehicleKind.PatrolCar, frame.Plate(), at, home.Id, null));
        }

        for (int i = 0; i < frame.Options.FireEngineCount(); i++)
        {
            Station home = fire[i % fire.Length];
            vehicles.Add(new Vehicle($"fire-{i + 1}", VehicleKind.FireEngine, frame.Plate(), home.Position, home.Id, null));
        }

        for (int i = 0; i < frame.Options.AmbulanceCount(); i++)
        {
            Station home = ambulance[i % ambulance.Length];
            vehicles.Add(new Vehicle($"ambulance-{i + 1}", VehicleKind.Ambulance, frame.Plate(), home.Position, home.Id, null));
        }

        for (int i = 0; i < frame.Options.MuckTruckCount(); i++)
        {
            (Geofence Fence, ProjectedPoint At)? site = sites.Count > 0 ? sites[i % sites.Count] : null;
            GeoPoint at = frame.Random.Double() switch
            {
                < 0.4 when site is not null => site.Value.Fence.Centre,
                < 0.7 => depot.Position,
                _ => frame.ToGeo(frame.LandPoint(frame.Box.Shrink(DistrictFrame.EdgeMargin), 10)),
            };
            vehicles.Add(new Vehicle($"muck-{i + 1}", VehicleKind.MuckTruck, frame.Plate(), at, depot.Id, site?.Fence.Id));
        }

        return vehicles.ToArray();
    }

    /// <summary>The grid workers, <see cref="DistrictOptions.RespondersPerGrid"/> per grid.</summary>
    public Responder[] BuildResponders()
    {
        var responders = new List<Responder>(grids.Count * frame.Options.RespondersPerGrid);
        foreach (GridPlan grid in grids)
        {
            string suffix = grid.GridId["grid-".Length..];
            for (int r = 0; r < frame.Options.RespondersPerGrid; r++)
            {
                ProjectedPoint at = frame.LandPoint(grid.Rect.Shrink(2), 5);
                responders.Add(new Responder($"responder-{suffix}-{r + 1}", frame.Name(), frame.Phone(), $"HT-{responders.Count + 1:D6}", grid.GridId, frame.ToGeo(at)));
            }
        }

        return responders.ToArray();
    }
}
