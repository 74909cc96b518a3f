namespace CityTwin.Scenarios.District;

/// <summary>Cross-checks a deserialised district: JSON schema checks cannot see broken references or lengths.</summary>
internal static class DistrictConsistency
{
    public static string? FindProblem(District d)
    {
        if (d.FormatVersion != District.CurrentFormatVersion)
        {
            return $"formatVersion is {d.FormatVersion} but this version of CityTwin reads {District.CurrentFormatVersion}";
        }

        CellGrid c = d.Cells;
        int cells = c.Columns * c.Rows;
        if (c.Columns <= 0 || c.Rows <= 0 || !(c.CellSizeM > 0))
        {
            return $"cells has {c.Columns} x {c.Rows} cells of {c.CellSizeM} m; all must be positive";
        }

        foreach ((string name, int length) in new[]
                 {
                     ("elevationM", c.ElevationM.Length), ("imperviousness", c.Imperviousness.Length),
                     ("curveNumber", c.CurveNumber.Length), ("drainageMmPerHour", c.DrainageMmPerHour.Length), ("isRiver", c.IsRiver.Length),
                 })
        {
            if (length != cells)
            {
                return $"cells.{name} has {length} values but the grid has {c.Columns} x {c.Rows} = {cells} cells";
            }
        }

        var areaIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (Area area in d.Areas)
        {
            if (area.ParentId is not null && !areaIds.Contains(area.ParentId))
            {
                return $"area '{area.Id}' names parent '{area.ParentId}', which is not listed before it";
            }

            if (area.Boundary.Length < 4)
            {
                return $"area '{area.Id}' boundary has {area.Boundary.Length} positions; a closed ring needs at least 4";
            }

            if (!areaIds.Add(area.Id))
            {
                return $"area id '{area.Id}' appears twice";
            }
        }

        for (int i = 0; i < d.Sensors.Length; i++)
        {
            Sensor s = d.Sensors[i];
            if (s.Id != i)
            {
                return $"sensors[{i}] has id {s.Id}; sensor ids must equal their index";
            }

            if (s.BuildingId < -1 || s.BuildingId >= d.Buildings.Length)
            {
                return $"sensor {i} names building {s.BuildingId}, which does not exist";
            }
        }

        for (int i = 0; i < d.Buildings.Length; i++)
        {
            Building b = d.Buildings[i];
            if (b.Id != i)
            {
                return $"buildings[{i}] has id {b.Id}; building ids must equal their index";
            }

            if (b.CellIndex < 0 || b.CellIndex >= cells)
            {
                return $"building {i} lies in cell {b.CellIndex}, outside the {cells}-cell grid";
            }

            if (b.FirstSensorId < 0 || b.SensorCount < 0 || (long)b.FirstSensorId + b.SensorCount > d.Sensors.Length)
            {
                return $"building {i} claims sensors {b.FirstSensorId}..{b.FirstSensorId + b.SensorCount - 1} but there are {d.Sensors.Length}";
            }

            if (b.Footprint.Length < 4)
            {
                return $"building {i} footprint has {b.Footprint.Length} positions; a closed ring needs at least 4";
            }

            if (!areaIds.Contains(b.GridId))
            {
                return $"building {i} names grid '{b.GridId}', which is not an area";
            }
        }

        foreach (RiverGauge g in d.Gauges)
        {
            if (g.CellIndex < 0 || g.CellIndex >= cells)
            {
                return $"gauge '{g.Id}' lies in cell {g.CellIndex}, outside the grid";
            }
        }

        return null;
    }
}
