using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The terrain part of a generation run: the raster of cells over the square, with elevation from the terrain model and
/// the river's cells (first), then each cell's surface from what was built on it (imperviousness, curve number, drainage).
/// </summary>
internal sealed class CellLayout(DistrictFrame frame)
{
    /// <summary>The cells with elevation and the river's cells; the surface is set by <see cref="FinishCells"/>.</summary>
    public CellGrid BuildCells()
    {
        double size = frame.Options.CellSizeM;
        int n = (int)Math.Round(frame.Box.Width / size);
        int count = n * n;
        var elevation = new double[count];
        var isRiver = new bool[count];

        // A cell the centreline passes through has its centre within half a diagonal of it; using that as the
        // threshold makes river cells a 4-connected chain, which the flood routing relies on.
        double riverThreshold = Math.Max(size * Math.Sqrt(0.5), frame.RiverClearance);
        for (int row = 0; row < n; row++)
        {
            for (int col = 0; col < n; col++)
            {
                int i = (row * n) + col;
                var p = new ProjectedPoint(frame.Box.MinX + ((col + 0.5) * size), frame.Box.MinY + ((row + 0.5) * size));
                double distance = frame.River.Distance(p, Terrain.FarDistance);
                isRiver[i] = distance <= riverThreshold;
                double z = isRiver[i]
                    ? frame.Terrain.BedElevation(frame.River.AxisOf(p))
                    : frame.Terrain.Elevation(p, frame.River.AxisOf(p), distance) + frame.Random.Double(-0.15, 0.15);
                elevation[i] = Math.Round(z, 2);
            }
        }

        return new CellGrid(n, n, size, frame.Box.MinX, frame.Box.MinY, elevation, new double[count], new double[count], new double[count], isRiver);
    }

    /// <summary>Sets each cell's imperviousness, curve number and drainage from the buildings on it and its street's drainage.</summary>
    public void FinishCells(CellGrid cells, IReadOnlyList<Building> buildings, IReadOnlyList<UtmRect> footprints, IReadOnlyList<(UtmRect Rect, double DrainageBase, string Name)> streets)
    {
        int count = cells.Columns * cells.Rows;
        double cellArea = cells.CellSizeM * cells.CellSizeM;
        var covered = new double[count];
        for (int b = 0; b < buildings.Count; b++)
        {
            covered[buildings[b].CellIndex] += footprints[b].Width * footprints[b].Height;
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
            double imperviousness = Math.Clamp(0.42 + (1.3 * coverage) + frame.Random.Double(-0.08, 0.08), 0.05, 0.97);

            // Pervious ground: lawns on hydrologic soil groups B-C (TR-55 curve numbers 61-74).
            double perviousCn = frame.Random.Double(61, 74);
            cells.Imperviousness[i] = Math.Round(imperviousness, 3);
            cells.CurveNumber[i] = Math.Round((perviousCn * (1 - imperviousness)) + (98 * imperviousness), 1);
            ProjectedPoint centre = cells.CentreOf(i);
            double drainageBase = streets.Count > 0 ? streets[0].DrainageBase : 35;
            foreach ((UtmRect rect, double baseRate, _) in streets)
            {
                if (rect.Contains(centre))
                {
                    drainageBase = baseRate;
                    break;
                }
            }

            cells.DrainageMmPerHour[i] = Math.Round(drainageBase + frame.Random.Double(-3, 3), 1);
        }
    }
}
