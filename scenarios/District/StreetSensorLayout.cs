using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The street-sensor part of a generation run: rain, wind, air pressure, soil moisture, PM10 (also at each construction
/// site), parking and AI cameras (per grid and at each checkpoint), added to <c>sensors</c> after the home sensors.
/// </summary>
internal sealed class StreetSensorLayout(DistrictFrame frame, IReadOnlyList<GridPlan> grids, int buildingCount, List<Sensor> sensors)
{
    /// <summary>Adds the street sensors; <paramref name="sites"/> and <paramref name="checkpoints"/> are the muck-truck places.</summary>
    public void BuildStreetSensors(List<(Geofence Fence, ProjectedPoint At)> sites, List<ProjectedPoint> checkpoints)
    {
        StreetSensorMix mix = frame.Options.StreetSensors;
        double km2 = frame.Options.AreaKm2();
        UtmRect inner = frame.Box.Shrink(DistrictFrame.EdgeMargin);
        AddRandom(SensorKind.Rain, Math.Max(1, (int)Math.Round(mix.RainPerKm2 * km2)));
        AddRandom(SensorKind.Wind, Math.Max(1, (int)Math.Round(mix.WindPerKm2 * km2)));
        AddRandom(SensorKind.AirPressure, Math.Max(1, (int)Math.Round(mix.AirPressurePerKm2 * km2)));
        AddRandom(SensorKind.SoilMoisture, (int)Math.Round(mix.SoilMoisturePerKm2 * km2));
        AddRandom(SensorKind.Pm10, (int)Math.Round(mix.Pm10PerKm2 * km2));
        foreach ((Geofence fence, _) in sites)
        {
            AddStreet(SensorKind.Pm10, fence.Centre);
        }

        AddRandom(SensorKind.Parking, (int)Math.Round(mix.ParkingPerBuilding * buildingCount));
        foreach (GridPlan grid in grids)
        {
            int cameras = frame.Poisson(mix.AiCamerasPerGrid);
            for (int k = 0; k < cameras; k++)
            {
                AddStreet(SensorKind.AiCamera, frame.ToGeo(frame.LandPoint(grid.Rect.Shrink(2), 5)));
            }
        }

        foreach (ProjectedPoint checkpoint in checkpoints)
        {
            AddStreet(SensorKind.AiCamera, frame.ToGeo(checkpoint));
        }

        void AddRandom(SensorKind kind, int count)
        {
            for (int k = 0; k < count; k++)
            {
                AddStreet(kind, frame.ToGeo(frame.LandPoint(inner, 5)));
            }
        }

        void AddStreet(SensorKind kind, GeoPoint position) => sensors.Add(new Sensor(sensors.Count, kind, -1, 0, position));
    }
}
