using CityTwin.Grains.Geo;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The river part of a generation run: water-level gauges spread along the centreline inside the square, each on a
/// centreline vertex with its bed, normal, warning, guaranteed and historic levels above the bed.
/// </summary>
internal sealed class GaugeLayout(DistrictFrame frame)
{
    /// <summary>The gauges along <paramref name="centreline"/> (none without a centreline or with no gauges asked for).</summary>
    public RiverGauge[] BuildGauges(CellGrid cells, List<(ProjectedPoint Point, double ChainageM)> centreline)
    {
        int count = frame.Options.RiverGaugeCount();
        if (centreline.Count == 0 || count == 0)
        {
            return [];
        }

        double length = centreline[^1].ChainageM;
        var gauges = new RiverGauge[count];
        for (int i = 0; i < count; i++)
        {
            double target = length * (i + 0.5 + frame.Random.Double(-0.2, 0.2)) / count;
            int k = 0;
            while (k < centreline.Count - 1 && centreline[k].ChainageM < target)
            {
                k++;
            }

            // Snap to a centreline vertex so the gauge sits exactly on the published river line.
            (ProjectedPoint at, double chainage) = centreline[k];
            GeoPoint position = frame.ToGeo(at);
            double bed = frame.Terrain.BedElevation(frame.River.AxisOf(at));
            double warning = bed + frame.Random.Double(3.2, 3.8);
            double guaranteed = warning + frame.Random.Double(0.8, 1.2);
            gauges[i] = new RiverGauge(
                $"gauge-{i + 1}",
                frame.Chinese ? $"{frame.RiverName}{i + 1}号水位站" : $"{frame.RiverName} gauge {i + 1}",
                position,
                Math.Round(chainage, 1),
                cells.IndexAt(frame.Utm.Forward(position)),
                Math.Round(bed, 2),
                Math.Round(bed + frame.Random.Double(1.0, 1.6), 2),
                Math.Round(warning, 2),
                Math.Round(guaranteed, 2),
                Math.Round(warning + frame.Random.Double(0.2, 1.6), 2));
        }

        return gauges;
    }
}
