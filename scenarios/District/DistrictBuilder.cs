using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// One generation run, part by part: terrain (<see cref="CellLayout"/>), areas (<see cref="AreaLayout"/>), buildings and
/// their home sensors (<see cref="BuildingLayout"/>), river gauges (<see cref="GaugeLayout"/>), muck-truck geofences
/// (<see cref="GeofenceLayout"/>), stations, vehicles and responders (<see cref="FleetLayout"/>) and street sensors
/// (<see cref="StreetSensorLayout"/>), all drawing from the one random source of a <see cref="DistrictFrame"/>. The order
/// of random draws is part of the output contract: changing the order of the steps below changes every district
/// generated from a given seed.
/// </summary>
internal sealed class DistrictBuilder(DistrictOptions options)
{
    /// <summary>Generates the district.</summary>
    public District Build()
    {
        var frame = new DistrictFrame(options);
        var sensorList = new List<Sensor>();
        var cellLayout = new CellLayout(frame);
        CellGrid cells = cellLayout.BuildCells();
        var areaLayout = new AreaLayout(frame);
        areaLayout.BuildAreas();
        var buildingLayout = new BuildingLayout(frame, areaLayout.Grids, sensorList);
        buildingLayout.BuildBuildings(cells);
        cellLayout.FinishCells(cells, buildingLayout.Buildings, buildingLayout.Footprints, areaLayout.Streets);
        List<(ProjectedPoint Point, double ChainageM)> centreline = frame.River.Inside(frame.Box);
        RiverGauge[] gauges = new GaugeLayout(frame).BuildGauges(cells, centreline);
        Geofence[] geofences = new GeofenceLayout(frame).BuildGeofences(out List<(Geofence Fence, ProjectedPoint At)> sites, out List<ProjectedPoint> checkpoints);
        var fleet = new FleetLayout(frame, areaLayout.Streets, areaLayout.Grids, buildingLayout.Buildings);
        Station[] stations = fleet.BuildStations();
        Vehicle[] vehicles = fleet.BuildVehicles(stations, sites);
        Responder[] responders = fleet.BuildResponders();
        int homeSensors = sensorList.Count;
        new StreetSensorLayout(frame, areaLayout.Grids, buildingLayout.Buildings.Count, sensorList).BuildStreetSensors(sites, checkpoints);

        Sensor[] sensors = sensorList.ToArray();
        Building[] buildings = buildingLayout.Buildings.ToArray();
        Area[] areas = areaLayout.Areas.ToArray();
        var counts = new DistrictCounts(
            buildings.Length, homeSensors, sensors.Length - homeSensors, cells.Columns * cells.Rows, areas.Length, gauges.Length,
            stations.Length, vehicles.Length, responders.Length, geofences.Length,
            (long)buildings.Length + sensors.Length + (cells.Columns * cells.Rows) + areas.Length + gauges.Length + vehicles.Length + responders.Length);

        var river = new River(frame.RiverName, options.RiverWidthM, centreline.Select(p => frame.ToGeo(p.Point)).ToArray());
        return new District(
            District.CurrentFormatVersion, options.Name, options, counts, frame.Centre, frame.Utm.Zone, frame.Utm.IsNorth,
            frame.RectRing(frame.Box), frame.EnclosingBox(), cells, river, gauges, areas, buildings, SensorProfiles.Defaults(),
            sensors, stations, vehicles, responders, geofences);
    }
}
