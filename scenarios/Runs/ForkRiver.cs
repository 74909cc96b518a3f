using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// The fork's river as a routed channel coupled to the flood model: the river cells are laid out along the channel
/// (chainage from the upstream edge), cut into reaches at the gauges, each with a Manning rating on its own bed slope,
/// and routed by <see cref="RiverChannel"/>. Each step the river cells are set to the channel's water level, but no
/// higher than the lowest land beside them while it stands below the bank top (the banks hold the river) and no higher
/// than that land plus the head over the bank top once it stands above (water pours over the bank); land water enters
/// a river cell only where it stands above the river's stage (outfalls are flap-gated). What the land adds to them
/// (runoff reaching the channel) or takes from them (water over the bank top onto lower cells) during the step is
/// handed to the channel as lateral flow at that place.
/// </summary>
/// <remarks>
/// The bank top is the embankment the gauges' guaranteed levels describe (the level the banks are built to hold),
/// interpolated along the channel between the gauges and held beyond them; without gauges it is the ground beside the
/// channel. Below it the channel and the land only meet through the land's drains: runoff flows in, nothing spills.
/// The spill in one step is bounded so it cannot overshoot: at most what a broad-crested weir along the cell passes,
/// Q = 1.705 L H^1.5 (SI; Henderson, Open Channel Flow, 1966, section 6.5), and at most the channel's flow above its
/// bankfull flow there, so spilling never takes the stage below the bank top within the step. Without the bound (and
/// the gate) a cell gave the land its whole head at once, the stage fell under the bank top, the land gave the water
/// back, and the stage flapped step by step.
/// </remarks>
internal sealed class ForkRiver
{
    // Discharge coefficient of a broad-crested weir in SI units, m^0.5/s: 0.385 sqrt(2 g) (Henderson 1966).
    private const double WeirCoefficient = 1.705;

    private readonly RiverChannel _channel;
    private readonly int[] _cells;
    private readonly int[] _nodeOfCell;
    private readonly double[] _setDepth;
    private readonly double[] _bankTop;
    private readonly double[] _lowGround;
    private readonly double _cellArea;
    private readonly double _cellSize;
    private readonly int[] _cellsAtNode;
    private readonly Func<double, double> _upstream;
    private readonly RectangularChannel[] _reachChannels;

    private ForkRiver(RiverChannel channel, int[] cells, int[] nodeOfCell, double cellArea, Func<double, double> upstream, RectangularChannel[] reachChannels,
        double[] cellChainage, double baseFlow, double referenceFlow, double[] bankTop, double[] lowGround)
    {
        _bankTop = bankTop;
        _lowGround = lowGround;
        _channel = channel;
        _cells = cells;
        _nodeOfCell = nodeOfCell;
        _setDepth = new double[cells.Length];
        _cellArea = cellArea;
        _cellSize = Math.Sqrt(cellArea);
        _cellsAtNode = new int[channel.NodeCount];
        foreach (int node in nodeOfCell)
        {
            _cellsAtNode[node]++;
        }
        _upstream = upstream;
        _reachChannels = reachChannels;
        CellChainageM = cellChainage;
        BaseFlowM3s = baseFlow;
        ReferenceFlowM3s = referenceFlow;
    }

    /// <summary>The routed channel.</summary>
    public RiverChannel Channel => _channel;

    /// <summary>Chainage of each river cell (in the order of the grid's river cells), m.</summary>
    public double[] CellChainageM { get; }

    /// <summary>Steady flow at the start, m^3/s.</summary>
    public double BaseFlowM3s { get; }

    /// <summary>Flow the Muskingum-Cunge parameters were set at, m^3/s.</summary>
    public double ReferenceFlowM3s { get; }

    /// <summary>Number of reaches (cut at the gauges).</summary>
    public int ReachCount => _reachChannels.Length;

    /// <summary>Water volume the land gave the channel, m^3.</summary>
    public double FromDistrictM3 { get; private set; }

    /// <summary>Water volume that left the channel onto the land, m^3.</summary>
    public double OntoDistrictM3 { get; private set; }

    /// <summary>Upstream inflow at a time since the start (s), m^3/s.</summary>
    public double UpstreamInflowM3s(double seconds) => _upstream(seconds);

    /// <summary>
    /// Lays the river out on the fork's cells; null when the fork has no river cells. <paramref name="gauges"/> are the
    /// gauges' cells with their bed and normal levels (m), which cut the reaches and, without a given base flow, set it.
    /// </summary>
    public static ForkRiver? Create(ForkCells cells, RiverSpec spec, Hyetograph? storm, IReadOnlyList<(int CellIndex, double BedM, double NormalLevelM, double GuaranteedLevelM)> gauges,
        double durationSeconds, double stepSeconds, out double[] gaugeChainage)
    {
        FloodGrid grid = cells.Grid;
        int[] river = Enumerable.Range(0, cells.IsRiver.Length).Where(i => cells.IsRiver[i]).ToArray();
        gaugeChainage = new double[gauges.Count];
        if (river.Length == 0)
        {
            return null;
        }

        double size = grid.CellSizeM;
        double[] chainage = Chainage(grid, cells.IsRiver, river);
        double length = river.Max(i => chainage[i]) + (size / 2);
        for (int g = 0; g < gauges.Count; g++)
        {
            gaugeChainage[g] = chainage[NearestRiverCell(grid, river, gauges[g].CellIndex)];
        }

        // Reaches end at the gauges, so each gauge reads the outflow of its own reach; reaches shorter than a cell merge.
        var cuts = new List<double> { 0 };
        foreach (double at in gaugeChainage.Order())
        {
            if (at - cuts[^1] >= size && length - at >= size)
            {
                cuts.Add(at);
            }
        }

        cuts.Add(length);
        double overall = BedSlope(grid, river, chainage, double.NegativeInfinity, double.PositiveInfinity) ?? 1e-3;
        var reaches = new List<RiverReach>();
        var channels = new List<RectangularChannel>();
        for (int r = 0; r + 1 < cuts.Count; r++)
        {
            double slope = BedSlope(grid, river, chainage, cuts[r], cuts[r + 1]) ?? overall;
            var channel = new RectangularChannel(spec.WidthM, spec.ManningN, Math.Max(slope, 1e-4));
            channels.Add(channel);
            reaches.Add(new RiverReach(cuts[r + 1] - cuts[r], channel));
        }

        double baseFlow = spec.BaseFlowM3s ?? (spec.Inflow.Count > 0 ? spec.Inflow[0].M3s : NormalFlow(gauges, gaugeChainage, cuts, channels));
        UpstreamCatchment? catchment = spec.Catchment;
        Func<double, double> upstream = t =>
            (spec.GivenInflowAt(TimeSpan.FromSeconds(t)) ?? baseFlow)
            + (catchment is not null && storm is not null ? ScsUnitHydrograph.DirectRunoffM3s(storm, catchment.AreaKm2, catchment.CurveNumber, catchment.LagHours, t / 3600) : 0);

        // Ponce's reference flow for constant-parameter Muskingum-Cunge: halfway between base and peak inflow.
        double peak = baseFlow;
        for (double t = 0; t <= durationSeconds; t += stepSeconds)
        {
            peak = Math.Max(peak, upstream(t));
        }

        double reference = Math.Max(1, baseFlow + (0.5 * (peak - baseFlow)));
        var routed = new RiverChannel(reaches, reference, baseFlow, stepSeconds);
        int[] nodes = river.Select(i => routed.NodeAt(chainage[i])).ToArray();
        double[] lowGround = river.Select(i => LowestLandBeside(grid, cells.IsRiver, i)).ToArray();
        double[] bankTop = new double[river.Length];
        for (int k = 0; k < river.Length; k++)
        {
            double? height = BankHeight(gauges, gaugeChainage, chainage[river[k]]);
            bankTop[k] = height is { } h ? grid.ElevationM[river[k]] + h : lowGround[k];
        }

        return new ForkRiver(routed, river, nodes, size * size, upstream, [.. channels], river.Select(i => chainage[i]).ToArray(), baseFlow, reference, bankTop, lowGround);
    }

    /// <summary>The routing node a gauge at <paramref name="chainageM"/> reads: the last one of the reach ending there.</summary>
    public int GaugeNode(double chainageM) => _channel.NodeAt(chainageM - 1e-6);

    /// <summary>Depth at a node's downstream end by its reach's rating curve, m.</summary>
    public double DepthAtNodeM(int node) => _channel.DepthM(node, _channel.FlowM3s(node));

    /// <summary>Sets every river cell to the channel's depth there, before a flood step of <paramref name="stepSeconds"/>.</summary>
    public void SetChannelDepths(CellularFloodModel model, double stepSeconds)
    {
        ReadOnlySpan<double> depth = model.DepthM;
        for (int k = 0; k < _cells.Length; k++)
        {
            int i = _cells[k];
            int node = _nodeOfCell[k];
            double bed = model.ElevationM[i];
            double flow = _channel.MeanFlowM3s(node);
            double stage = bed + _channel.DepthM(node, flow);
            double level = stage;
            if (!double.IsInfinity(_lowGround[k]))
            {
                level = Math.Min(stage, _lowGround[k]);
                if (stage > _bankTop[k])
                {
                    // Over the bank top the land sees only the head above it, as water pours over a weir, not the full drop
                    // from the river's surface to the ground behind the bank; and only as much of it as the weir passes in
                    // the step and the channel can give without falling below the bank top (its share of the node's flow
                    // above bankfull): the cell can give the land at most that head over its area.
                    double head = stage - _bankTop[k];
                    double weir = WeirCoefficient * _cellSize * head * Math.Sqrt(head) * stepSeconds;
                    double aboveBankfull = Math.Max(0, flow - _channel.FlowAtDepthM3s(node, _bankTop[k] - bed)) * stepSeconds / _cellsAtNode[node];
                    level = _lowGround[k] + Math.Min(head, Math.Min(weir, aboveBankfull) / _cellArea);
                }
            }

            // Land water enters only where it stands above the river (over the bank, or through flap-gated outfalls).
            model.SetIntakeLevel(i, stage);
            double target = Math.Max(0, level - bed);
            double now = depth[i];
            if (target > now)
            {
                model.AddWater(i, target - now);
            }
            else if (target < now)
            {
                model.RemoveWater(i, now - target);
            }

            _setDepth[k] = model.DepthM[i];
        }
    }

    /// <summary>After a flood step ending at <paramref name="seconds"/>: hands the exchange to the channel and routes it.</summary>
    public void Exchange(CellularFloodModel model, double seconds)
    {
        ReadOnlySpan<double> depth = model.DepthM;
        for (int k = 0; k < _cells.Length; k++)
        {
            double volume = (depth[_cells[k]] - _setDepth[k]) * _cellArea;
            if (volume > 0)
            {
                FromDistrictM3 += volume;
            }
            else
            {
                OntoDistrictM3 -= volume;
            }

            _channel.AddLateral(_nodeOfCell[k], volume);
        }

        _channel.AdvanceTo(seconds, _upstream);
    }

    // Path length along the river cells (8-neighbour Dijkstra) from the upstream end: the river cell on the grid's edge
    // with the highest bed, as the bed falls downstream.
    private static double[] Chainage(FloodGrid grid, bool[] isRiver, int[] river)
    {
        int columns = grid.Columns, rows = grid.Rows;
        bool OnEdge(int i) => i % columns == 0 || i % columns == columns - 1 || i / columns == 0 || i / columns == rows - 1;
        int[] edge = river.Where(OnEdge).ToArray();
        int start = (edge.Length > 0 ? edge : river).MaxBy(i => grid.ElevationM[i]);
        var distance = new double[isRiver.Length];
        Array.Fill(distance, double.PositiveInfinity);
        distance[start] = 0;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(start, 0);
        double size = grid.CellSizeM, diagonal = size * Math.Sqrt(2);
        while (queue.TryDequeue(out int i, out double d))
        {
            if (d > distance[i])
            {
                continue;
            }

            int row = i / columns, col = i % columns;
            for (int dr = -1; dr <= 1; dr++)
            {
                for (int dc = -1; dc <= 1; dc++)
                {
                    int r = row + dr, c = col + dc;
                    if ((dr == 0 && dc == 0) || r < 0 || r >= rows || c < 0 || c >= columns)
                    {
                        continue;
                    }

                    int j = (r * columns) + c;
                    double next = d + (dr != 0 && dc != 0 ? diagonal : size);
                    if (isRiver[j] && next < distance[j])
                    {
                        distance[j] = next;
                        queue.Enqueue(j, next);
                    }
                }
            }
        }

        // A river cell cut off from the main channel (a stray corner) takes the chainage of the nearest connected one.
        double fallback = river.Where(i => double.IsFinite(distance[i])).Select(i => distance[i]).DefaultIfEmpty(0).Max();
        foreach (int i in river)
        {
            distance[i] = double.IsFinite(distance[i]) ? distance[i] + (size / 2) : fallback;
        }

        return distance;
    }

    private static double LowestLandBeside(FloodGrid grid, bool[] isRiver, int i)
    {
        int columns = grid.Columns, row = i / columns, col = i % columns;
        double low = double.PositiveInfinity;
        foreach ((int r, int c) in new[] { (row - 1, col), (row + 1, col), (row, col - 1), (row, col + 1) })
        {
            int j = (r * columns) + c;
            if (r >= 0 && r < grid.Rows && c >= 0 && c < columns && !isRiver[j])
            {
                low = Math.Min(low, grid.ElevationM[j]);
            }
        }

        return low;
    }

    // The embankment's height above the bed at a chainage: the gauges' guaranteed depth, linear between them.
    private static double? BankHeight(IReadOnlyList<(int CellIndex, double BedM, double NormalLevelM, double GuaranteedLevelM)> gauges, double[] gaugeChainage, double chainage)
    {
        var known = Enumerable.Range(0, gauges.Count)
            .Where(g => double.IsFinite(gauges[g].GuaranteedLevelM) && gauges[g].GuaranteedLevelM > gauges[g].BedM)
            .Select(g => (At: gaugeChainage[g], Height: gauges[g].GuaranteedLevelM - gauges[g].BedM))
            .OrderBy(p => p.At)
            .ToArray();
        if (known.Length == 0)
        {
            return null;
        }

        if (chainage <= known[0].At)
        {
            return known[0].Height;
        }

        for (int k = 1; k < known.Length; k++)
        {
            if (chainage <= known[k].At)
            {
                double f = (chainage - known[k - 1].At) / Math.Max(1e-9, known[k].At - known[k - 1].At);
                return known[k - 1].Height + (f * (known[k].Height - known[k - 1].Height));
            }
        }

        return known[^1].Height;
    }

    private static int NearestRiverCell(FloodGrid grid, int[] river, int cell)
    {
        int columns = grid.Columns;
        return river.MinBy(i => Math.Pow((i / columns) - (cell / columns), 2) + Math.Pow((i % columns) - (cell % columns), 2));
    }

    // Least-squares fall of the bed per metre of chainage over the river cells in [from, to); null with too few cells.
    private static double? BedSlope(FloodGrid grid, int[] river, double[] chainage, double from, double to)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (int i in river)
        {
            double x = chainage[i];
            if (x < from || x >= to)
            {
                continue;
            }

            double y = grid.ElevationM[i];
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        double denominator = (n * sxx) - (sx * sx);
        if (n < 3 || denominator <= 0)
        {
            return null;
        }

        double fall = -((n * sxy) - (sx * sy)) / denominator;
        return fall > 0 ? fall : null;
    }

    // The flow at which the gauges stand at their normal levels on their reaches' ratings (mean over the gauges).
    private static double NormalFlow(IReadOnlyList<(int CellIndex, double BedM, double NormalLevelM, double GuaranteedLevelM)> gauges, double[] gaugeChainage, List<double> cuts, List<RectangularChannel> channels)
    {
        var flows = new List<double>();
        for (int g = 0; g < gauges.Count; g++)
        {
            int reach = Math.Clamp(cuts.FindIndex(c => c >= gaugeChainage[g] - 1e-6) - 1, 0, channels.Count - 1);
            double depth = gauges[g].NormalLevelM - gauges[g].BedM;
            if (depth > 0)
            {
                flows.Add(channels[reach].DischargeM3s(depth));
            }
        }

        return flows.Count > 0 ? flows.Average() : channels[0].DischargeM3s(1.0);
    }
}
