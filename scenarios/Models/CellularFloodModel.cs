using System.Runtime.CompilerServices;

namespace CityTwin.Scenarios.Models;

/// <summary>
/// Rainfall-runoff flood model on a raster, after WCA2D (Guidolin et al. 2016, "A weighted cellular automata 2D
/// inundation model for rapid flood analysis"): per step, SCS runoff is added, drainage removed up to capacity, and
/// water routed to lower-water-level neighbours (4-neighbour) with weights proportional to level differences.
/// </summary>
/// <remarks>
/// Guarantees, per sub-step, checked by the tests: volume is conserved (stored + drained + boundary outflow =
/// initial + inflow, to rounding); water only moves from a higher to a lower water surface as it stood at the start
/// of the sub-step; no depth goes negative; and no giver ends below a receiver. The last is stronger than WCA2D,
/// which relies on its time step: here a giver drops by at most half the level difference to each cell it feeds and
/// a receiver rises by at most half the difference to each cell feeding it, so the two can at most meet. A giver
/// may skip neighbours whose difference is too small to take part (and a receiver may refuse such givers) when that
/// lets more water move. All state lives in flat arrays; no per-cell objects.
/// </remarks>
public sealed class CellularFloodModel
{
    /// <summary>Index of the eastward flow in each cell's group of four in <see cref="LastSubstepFlowsM"/>.</summary>
    public const int East = 0;

    /// <summary>Index of the westward flow.</summary>
    public const int West = 1;

    /// <summary>Index of the northward flow (towards row - 1).</summary>
    public const int North = 2;

    /// <summary>Index of the southward flow (towards row + 1).</summary>
    public const int South = 3;

    private const double Gravity = 9.81;

    private readonly int _columns;
    private readonly int _rows;
    private readonly double _cellSize;
    private readonly double _cellArea;
    private readonly double _manningN;
    private readonly bool _openBoundary;
    private readonly double _tolerance;
    private readonly double _courant;
    private readonly double _maxSubstep;
    private readonly double[] _thresholds;

    private readonly double[] _elevation;
    private readonly double[] _depth;
    private readonly double[] _level;

    // The level a cell takes water at: its own level, or for a channel cell with an intake level (the river's stage behind
    // flap-gated outfalls and over the bank) the higher of the two. The same array as _level while no intake is set.
    private double[] _receiveLevel;
    private double[]? _intake;
    private readonly double[] _retentionMm;
    private readonly double[] _abstractionMm;
    private readonly double[] _drainMetresPerSecond;

    // Candidate outflows per cell (E, W, N, S), then the flows actually applied, both in metres of depth.
    private readonly double[] _candidate;
    private readonly double[] _flow;

    // Receiver limits: the fraction of accepted inflow, and the smallest level difference a giver needs to be accepted.
    private readonly double[] _acceptScale;
    private readonly double[] _acceptCut;

    private readonly double[] _maxDepth;
    private readonly double[][] _firstAbove;

    // Channel cells (a river routed by its own model) exchange water with the land around them but never with each other
    // or across an open edge: the channel's own flow is the river model's.
    private bool[]? _channel;

    private double _cumulativeRainMm;
    private double _lastMaxVelocity = double.NaN;

    /// <summary>Creates a model from a grid (its arrays are copied, so one grid can seed many runs).</summary>
    public CellularFloodModel(FloodGrid grid, FloodModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        options ??= new FloodModelOptions();
        if (!(options.ManningN > 0) || !(options.CourantNumber > 0 && options.CourantNumber <= 1) || !(options.LevelToleranceM >= 0) || !(options.MaxSubstepSeconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Need Manning n > 0, Courant number in (0, 1], a non-negative tolerance and a positive sub-step cap.");
        }

        _columns = grid.Columns;
        _rows = grid.Rows;
        _cellSize = grid.CellSizeM;
        _cellArea = grid.CellAreaM2;
        _manningN = options.ManningN;
        _openBoundary = options.OpenBoundary;
        _tolerance = options.LevelToleranceM;
        _courant = options.CourantNumber;
        _maxSubstep = options.MaxSubstepSeconds;
        _thresholds = [.. options.DepthThresholdsM];

        int n = grid.CellCount;
        _elevation = (double[])grid.ElevationM.Clone();
        _depth = new double[n];
        _level = new double[n];
        _receiveLevel = _level;
        _retentionMm = new double[n];
        _abstractionMm = new double[n];
        _drainMetresPerSecond = new double[n];
        _candidate = new double[4 * n];
        _flow = new double[4 * n];
        _acceptScale = new double[n];
        _acceptCut = new double[n];
        _maxDepth = new double[n];
        _firstAbove = new double[_thresholds.Length][];
        for (int k = 0; k < _thresholds.Length; k++)
        {
            _firstAbove[k] = new double[n];
            Array.Fill(_firstAbove[k], double.NaN);
        }

        double initial = 0.0;
        for (int i = 0; i < n; i++)
        {
            double d = grid.InitialDepthM[i];
            double z = grid.ElevationM[i];
            double cn = grid.CurveNumber[i];
            double drain = grid.DrainageCapacityMmPerHour[i];
            if (!(d >= 0) || !double.IsFinite(d) || !double.IsFinite(z) || !ScsCurveNumber.IsValidCurveNumber(cn) || !(drain >= 0) || !double.IsFinite(drain))
            {
                throw new ArgumentException($"Cell {i} has an invalid depth, elevation, curve number or drainage capacity.", nameof(grid));
            }

            _depth[i] = d;
            _maxDepth[i] = d;
            initial += d;
            _retentionMm[i] = ScsCurveNumber.RetentionMm(cn);
            _abstractionMm[i] = 0.2 * _retentionMm[i];
            _drainMetresPerSecond[i] = drain / 1000.0 / 3600.0;
            for (int k = 0; k < _thresholds.Length; k++)
            {
                if (d >= _thresholds[k])
                {
                    _firstAbove[k][i] = 0.0;
                }
            }
        }

        InitialVolumeM3 = initial * _cellArea;
    }

    /// <summary>Number of columns.</summary>
    public int Columns => _columns;

    /// <summary>Number of rows.</summary>
    public int Rows => _rows;

    /// <summary>Simulated time since the start, seconds.</summary>
    public double ElapsedSeconds { get; private set; }

    /// <summary>Routing sub-steps taken so far.</summary>
    public long SubstepCount { get; private set; }

    /// <summary>Rainfall fallen so far (uniform over the grid), mm.</summary>
    public double CumulativeRainfallMm => _cumulativeRainMm;

    /// <summary>Water depth per cell, metres.</summary>
    public ReadOnlySpan<double> DepthM => _depth;

    /// <summary>Bed elevation per cell, metres.</summary>
    public ReadOnlySpan<double> ElevationM => _elevation;

    /// <summary>Largest depth each cell has reached, metres (sampled at the end of every sub-step).</summary>
    public ReadOnlySpan<double> MaxDepthM => _maxDepth;

    /// <summary>The depth thresholds tracked by <see cref="FirstTimeAboveSeconds"/>, metres.</summary>
    public IReadOnlyList<double> DepthThresholdsM => _thresholds;

    /// <summary>
    /// Flows applied in the last routing sub-step, four per cell in the order East, West, North, South, as metres of
    /// depth over one cell; flows across an open edge are included.
    /// </summary>
    public ReadOnlySpan<double> LastSubstepFlowsM => _flow;

    /// <summary>Water volume at the start, m^3.</summary>
    public double InitialVolumeM3 { get; }

    /// <summary>Runoff volume added by rainfall so far, m^3.</summary>
    public double RunoffInflowM3 { get; private set; }

    /// <summary>Volume added directly with <see cref="AddWater"/>, m^3.</summary>
    public double ExternalInflowM3 { get; private set; }

    /// <summary>Volume taken out directly with <see cref="RemoveWater"/>, m^3.</summary>
    public double WithdrawnM3 { get; private set; }

    /// <summary>Volume removed by drainage so far, m^3.</summary>
    public double DrainedM3 { get; private set; }

    /// <summary>Volume that has left across open edges so far, m^3.</summary>
    public double BoundaryOutflowM3 { get; private set; }

    /// <summary>Water volume now on the grid, m^3.</summary>
    public double StoredVolumeM3
    {
        get
        {
            double sum = 0.0;
            foreach (double d in _depth)
            {
                sum += d;
            }

            return sum * _cellArea;
        }
    }

    /// <summary>Stored + drained + boundary outflow + withdrawn - initial - inflows, m^3; zero up to rounding.</summary>
    public double MassBalanceErrorM3 => StoredVolumeM3 + DrainedM3 + BoundaryOutflowM3 + WithdrawnM3 - InitialVolumeM3 - RunoffInflowM3 - ExternalInflowM3;

    /// <summary>First time (s) each cell reached threshold k of <see cref="DepthThresholdsM"/>; NaN where it never has.</summary>
    public ReadOnlySpan<double> FirstTimeAboveSeconds(int thresholdIndex) => _firstAbove[thresholdIndex];

    /// <summary>Writes the water surface level (bed + depth, m) of every cell.</summary>
    public void CopyWaterLevels(Span<double> levels)
    {
        if (levels.Length < _depth.Length)
        {
            throw new ArgumentException("The output span is shorter than the grid.", nameof(levels));
        }

        for (int i = 0; i < _depth.Length; i++)
        {
            levels[i] = _elevation[i] + _depth[i];
        }
    }

    /// <summary>Adds water (metres of depth) to one cell, e.g. a burst main or river inflow; counted as external inflow.</summary>
    public void AddWater(int cell, double depthM)
    {
        if (!(depthM >= 0) || !double.IsFinite(depthM))
        {
            throw new ArgumentOutOfRangeException(nameof(depthM), depthM, "Added depth must be finite and non-negative.");
        }

        _depth[cell] += depthM;
        ExternalInflowM3 += depthM * _cellArea;
        Track(cell, _depth[cell], ElapsedSeconds);
    }

    /// <summary>Takes water (metres of depth, at most what the cell holds) out of one cell, e.g. into a river model; counted as withdrawn.</summary>
    public void RemoveWater(int cell, double depthM)
    {
        if (!(depthM >= 0) || !double.IsFinite(depthM) || depthM > _depth[cell])
        {
            throw new ArgumentOutOfRangeException(nameof(depthM), depthM, "Removed depth must be finite, non-negative and at most the cell's depth.");
        }

        _depth[cell] -= depthM;
        WithdrawnM3 += depthM * _cellArea;
    }

    /// <summary>
    /// Marks channel cells: routing never moves water between two of them nor across an open edge from one, so a river
    /// model can hold their depth at its stage and read what the land gave or took as the change.
    /// </summary>
    public void SetChannelCells(IReadOnlyList<bool> isChannel)
    {
        ArgumentNullException.ThrowIfNull(isChannel);
        if (isChannel.Count != _depth.Length)
        {
            throw new ArgumentException("One flag per cell is needed.", nameof(isChannel));
        }

        _channel = [.. isChannel];
    }

    /// <summary>
    /// Sets the level below which channel cell <paramref name="cell"/> takes no water from the land (the river's stage:
    /// outfalls are flap-gated and the bank holds, so land water enters only where it stands higher); it still gives water
    /// by its own level. Negative infinity (the default) takes water by its own level.
    /// </summary>
    public void SetIntakeLevel(int cell, double levelM)
    {
        if (_channel is not { } channel || !channel[cell])
        {
            throw new ArgumentException("Only a channel cell has an intake level.", nameof(cell));
        }

        if (double.IsNaN(levelM) || double.IsPositiveInfinity(levelM))
        {
            throw new ArgumentOutOfRangeException(nameof(levelM), levelM, "An intake level is a number or negative infinity.");
        }

        if (_intake is null)
        {
            _intake = new double[_depth.Length];
            Array.Fill(_intake, double.NegativeInfinity);
            _receiveLevel = new double[_depth.Length];
        }

        _intake[cell] = levelM;
    }

    /// <summary>
    /// Advances one time step: adds the SCS runoff of <paramref name="rainfallMm"/> (fallen during the step, uniform),
    /// removes drainage up to each cell's capacity, then routes water in adaptive sub-steps.
    /// </summary>
    public void Step(double dtSeconds, double rainfallMm)
    {
        if (!(dtSeconds > 0) || !double.IsFinite(dtSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(dtSeconds), dtSeconds, "The step must be finite and positive.");
        }

        if (!(rainfallMm >= 0) || !double.IsFinite(rainfallMm))
        {
            throw new ArgumentOutOfRangeException(nameof(rainfallMm), rainfallMm, "Rainfall must be finite and non-negative.");
        }

        if (rainfallMm > 0)
        {
            AddRunoff(rainfallMm, ElapsedSeconds + dtSeconds);
        }

        Drain(dtSeconds);
        Route(dtSeconds);
    }

    /// <summary>Runs a hyetograph (starting at the current time) for a duration at a fixed step, seconds.</summary>
    public void Run(Hyetograph hyetograph, double stepSeconds, double durationSeconds)
    {
        ArgumentNullException.ThrowIfNull(hyetograph);
        if (!(stepSeconds > 0) || !(durationSeconds >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), "Need a positive step and a non-negative duration.");
        }

        // Times come from the step counter, not by summing, so a long run does not drift off the hyetograph.
        int steps = (int)Math.Ceiling((durationSeconds / stepSeconds) - 1e-9);
        for (int k = 0; k < steps; k++)
        {
            double t0 = k * stepSeconds;
            double t1 = Math.Min(durationSeconds, (k + 1) * stepSeconds);
            Step(t1 - t0, hyetograph.DepthBetweenMm(t0, t1));
        }
    }

    /// <summary>Routes water for a period (s) in as many adaptive sub-steps as stability needs.</summary>
    public void Route(double dtSeconds)
    {
        double start = ElapsedSeconds;
        double remaining = dtSeconds;
        while (remaining > 1e-9 * dtSeconds)
        {
            remaining -= RouteSubstep(remaining);
        }

        // Snap to the requested end so that many sub-steps do not drift the clock.
        ElapsedSeconds = start + dtSeconds;
    }

    /// <summary>
    /// Performs one routing sub-step of at most <paramref name="maxDtSeconds"/> (shorter if the Courant limit
    /// requires) and returns its length; <see cref="LastSubstepFlowsM"/> then holds the flows it applied.
    /// </summary>
    public double RouteSubstep(double maxDtSeconds)
    {
        if (!(maxDtSeconds > 0) || !double.IsFinite(maxDtSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDtSeconds), maxDtSeconds, "The sub-step must be finite and positive.");
        }

        double maxDepth = ComputeLevels();
        double dt = maxDtSeconds;
        if (maxDepth > _tolerance)
        {
            dt = Math.Min(dt, _maxSubstep);
            // Courant limit on the fastest flow velocity of the previous sub-step: ponded water with a nearly flat
            // surface barely moves, so a deep pit does not force small steps on the whole grid. Velocities change
            // between sub-steps, but the half-difference and depth limits keep any step stable; the Courant limit is
            // only for accuracy. Before the first flow, the critical velocity of the deepest cell stands in.
            double velocity = double.IsNaN(_lastMaxVelocity) ? Math.Sqrt(Gravity * maxDepth) : _lastMaxVelocity;
            if (velocity > 0)
            {
                dt = Math.Min(dt, _courant * _cellSize / velocity);
            }

            _lastMaxVelocity = ProposeOutflows(dt);
            LimitInflows();
            Apply(ElapsedSeconds + dt);
        }
        else
        {
            Array.Clear(_flow);
        }

        ElapsedSeconds += dt;
        SubstepCount++;
        return dt;
    }

    // The step's runoff is added at its start but stamped at its end, when that rain has actually fallen.
    private void AddRunoff(double rainfallMm, double stepEndTime)
    {
        double before = _cumulativeRainMm;
        double after = before + rainfallMm;
        double added = 0.0;
        for (int i = 0; i < _depth.Length; i++)
        {
            double s = _retentionMm[i];
            double ia = _abstractionMm[i];
            double q = ScsCurveNumber.RunoffMm(after, s, ia) - ScsCurveNumber.RunoffMm(before, s, ia);
            if (q > 0)
            {
                double metres = q / 1000.0;
                double d = _depth[i] + metres;
                _depth[i] = d;
                added += metres;
                Track(i, d, stepEndTime);
            }
        }

        _cumulativeRainMm = after;
        RunoffInflowM3 += added * _cellArea;
    }

    private void Drain(double dtSeconds)
    {
        double drained = 0.0;
        for (int i = 0; i < _depth.Length; i++)
        {
            double capacity = _drainMetresPerSecond[i] * dtSeconds;
            if (capacity > 0)
            {
                double d = _depth[i];
                double take = d < capacity ? d : capacity;
                _depth[i] = d - take;
                drained += take;
            }
        }

        DrainedM3 += drained * _cellArea;
    }

    private double ComputeLevels()
    {
        double maxDepth = 0.0;
        double[] depth = _depth;
        double[] elevation = _elevation;
        double[] level = _level;
        for (int i = 0; i < depth.Length; i++)
        {
            double d = depth[i];
            level[i] = elevation[i] + d;
            if (d > maxDepth)
            {
                maxDepth = d;
            }
        }

        if (_intake is { } intake)
        {
            double[] receive = _receiveLevel;
            for (int i = 0; i < depth.Length; i++)
            {
                receive[i] = Math.Max(level[i], intake[i]);
            }
        }

        return maxDepth;
    }

    // Each wet cell sends water to lower neighbours in proportion to the level differences (WCA2D's weighting
    // without its central-cell share, which the half-difference limit below makes unnecessary). The total outflow O
    // is bounded by the depth, by the Manning/critical flux towards the steepest neighbour (the flow there is
    // O dl_max / sum dl) and by half the smallest difference among the neighbours fed. Which neighbours are fed is
    // chosen as "all with a difference of at least t", for the t that lets most water out.
    private double ProposeOutflows(double dt)
    {
        double maxVelocity = 0.0;
        int columns = _columns;
        int rows = _rows;
        double tolerance = _tolerance;
        double[] depth = _depth;
        double[] level = _level;
        double[] receive = _receiveLevel;
        double[] candidate = _candidate;
        double dx = _cellSize;
        double manningFactor = 1.0 / (_manningN * _manningN * dx);
        double edge = _openBoundary ? 1.0 : 0.0;

        for (int row = 0; row < rows; row++)
        {
            int rowStart = row * columns;
            for (int col = 0; col < columns; col++)
            {
                int i = rowStart + col;
                int f = 4 * i;
                double d = depth[i];
                if (d <= tolerance)
                {
                    candidate[f] = 0.0;
                    candidate[f + 1] = 0.0;
                    candidate[f + 2] = 0.0;
                    candidate[f + 3] = 0.0;
                    continue;
                }

                double l = level[i];
                // An open edge is a ghost neighbour whose surface is this cell's bed: the water can run off.
                double e = col + 1 < columns ? l - receive[i + 1] : edge * d;
                double w = col > 0 ? l - receive[i - 1] : edge * d;
                double n = row > 0 ? l - receive[i - columns] : edge * d;
                double s = row + 1 < rows ? l - receive[i + columns] : edge * d;
                if (_channel is { } channel && channel[i])
                {
                    e = col + 1 < columns && !channel[i + 1] ? e : 0.0;
                    w = col > 0 && !channel[i - 1] ? w : 0.0;
                    n = row > 0 && !channel[i - columns] ? n : 0.0;
                    s = row + 1 < rows && !channel[i + columns] ? s : 0.0;
                }

                e = e > tolerance ? e : 0.0;
                w = w > tolerance ? w : 0.0;
                n = n > tolerance ? n : 0.0;
                s = s > tolerance ? s : 0.0;
                double steepest = Math.Max(Math.Max(e, w), Math.Max(n, s));
                if (steepest == 0.0)
                {
                    candidate[f] = 0.0;
                    candidate[f + 1] = 0.0;
                    candidate[f + 2] = 0.0;
                    candidate[f + 3] = 0.0;
                    continue;
                }

                // v = min(sqrt(g d), d^(2/3) sqrt(dl / dx) / n), compared squared to save a root.
                double critical2 = Gravity * d;
                double manning2 = d * Math.Cbrt(d) * steepest * manningFactor;
                double velocity = Math.Sqrt(Math.Min(critical2, manning2));
                maxVelocity = velocity > maxVelocity ? velocity : maxVelocity;
                double flowPerDifference = velocity * d * dt / (dx * steepest);
                double bestOut = 0.0;
                double bestCut = 0.0;
                if (e > 0.0)
                {
                    Choose(Outflow(e, e, w, n, s, d, flowPerDifference), e, ref bestOut, ref bestCut);
                }

                if (w > 0.0)
                {
                    Choose(Outflow(w, e, w, n, s, d, flowPerDifference), w, ref bestOut, ref bestCut);
                }

                if (n > 0.0)
                {
                    Choose(Outflow(n, e, w, n, s, d, flowPerDifference), n, ref bestOut, ref bestCut);
                }

                if (s > 0.0)
                {
                    Choose(Outflow(s, e, w, n, s, d, flowPerDifference), s, ref bestOut, ref bestCut);
                }

                double ratio = bestOut / SumAtLeast(bestCut, e, w, n, s, e, w, n, s);
                candidate[f + East] = e >= bestCut ? e * ratio : 0.0;
                candidate[f + West] = w >= bestCut ? w * ratio : 0.0;
                candidate[f + North] = n >= bestCut ? n * ratio : 0.0;
                candidate[f + South] = s >= bestCut ? s * ratio : 0.0;
            }
        }

        return maxVelocity;
    }

    // Each receiver accepts, from the givers whose level difference is at least a cut t, at most half of t, scaling
    // their flows down together; t is chosen to admit the most water, so givers only slightly above the receiver may
    // be refused (their flow is then zero) rather than throttle the rest.
    private void LimitInflows()
    {
        int columns = _columns;
        int rows = _rows;
        double[] level = _level;
        double[] receive = _receiveLevel;
        double[] candidate = _candidate;
        double[] acceptScale = _acceptScale;
        double[] acceptCut = _acceptCut;

        for (int row = 0; row < rows; row++)
        {
            int rowStart = row * columns;
            for (int col = 0; col < columns; col++)
            {
                int i = rowStart + col;
                double l = receive[i];
                double fe = col + 1 < columns ? candidate[(4 * (i + 1)) + West] : 0.0;
                double fw = col > 0 ? candidate[(4 * (i - 1)) + East] : 0.0;
                double fn = row > 0 ? candidate[(4 * (i - columns)) + South] : 0.0;
                double fs = row + 1 < rows ? candidate[(4 * (i + columns)) + North] : 0.0;
                if (fe == 0.0 && fw == 0.0 && fn == 0.0 && fs == 0.0)
                {
                    acceptScale[i] = 1.0;
                    acceptCut[i] = 0.0;
                    continue;
                }

                // A positive flow implies the giver is higher by more than the tolerance, so these are positive.
                double re = fe > 0.0 ? level[i + 1] - l : 0.0;
                double rw = fw > 0.0 ? level[i - 1] - l : 0.0;
                double rn = fn > 0.0 ? level[i - columns] - l : 0.0;
                double rs = fs > 0.0 ? level[i + columns] - l : 0.0;

                double best = 0.0;
                double bestCut = 0.0;
                if (re > 0.0)
                {
                    Choose(Math.Min(SumAtLeast(re, re, rw, rn, rs, fe, fw, fn, fs), 0.5 * re), re, ref best, ref bestCut);
                }

                if (rw > 0.0)
                {
                    Choose(Math.Min(SumAtLeast(rw, re, rw, rn, rs, fe, fw, fn, fs), 0.5 * rw), rw, ref best, ref bestCut);
                }

                if (rn > 0.0)
                {
                    Choose(Math.Min(SumAtLeast(rn, re, rw, rn, rs, fe, fw, fn, fs), 0.5 * rn), rn, ref best, ref bestCut);
                }

                if (rs > 0.0)
                {
                    Choose(Math.Min(SumAtLeast(rs, re, rw, rn, rs, fe, fw, fn, fs), 0.5 * rs), rs, ref best, ref bestCut);
                }

                double offered = SumAtLeast(bestCut, re, rw, rn, rs, fe, fw, fn, fs);
                acceptScale[i] = best >= offered ? 1.0 : best / offered;
                acceptCut[i] = bestCut;
            }
        }
    }

    // Total outflow if every neighbour with a difference of at least cut is fed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Outflow(double cut, double e, double w, double n, double s, double depth, double flowPerDifference)
    {
        double sum = SumAtLeast(cut, e, w, n, s, e, w, n, s);
        return Math.Min(Math.Min(depth, 0.5 * cut), flowPerDifference * sum);
    }

    // Sum of the values whose key is at least cut.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumAtLeast(double cut, double k0, double k1, double k2, double k3, double v0, double v1, double v2, double v3)
    {
        return (k0 >= cut ? v0 : 0.0) + (k1 >= cut ? v1 : 0.0) + (k2 >= cut ? v2 : 0.0) + (k3 >= cut ? v3 : 0.0);
    }

    // Keeps the cut that moves most water; ties go to the smaller cut (more cells), so equal differences are never split.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Choose(double amount, double cut, ref double bestAmount, ref double bestCut)
    {
        if (amount > bestAmount || (amount == bestAmount && (bestCut == 0.0 || cut < bestCut)))
        {
            bestAmount = amount;
            bestCut = cut;
        }
    }

    // Giver and receiver compute each accepted flow with the same operands, so what leaves one cell arrives in the
    // other bit for bit and the volume balance holds to summation rounding.
    private void Apply(double endTime)
    {
        int columns = _columns;
        int rows = _rows;
        double[] depth = _depth;
        double[] level = _level;
        double[] receive = _receiveLevel;
        double[] candidate = _candidate;
        double[] flow = _flow;
        double[] scale = _acceptScale;
        double[] cut = _acceptCut;
        double boundary = 0.0;

        for (int row = 0; row < rows; row++)
        {
            for (int col = 0; col < columns; col++)
            {
                int i = (row * columns) + col;
                int f = 4 * i;
                double l = level[i];
                double outflow = 0.0;

                double c = candidate[f + East];
                double q = 0.0;
                if (c > 0)
                {
                    q = col + 1 < columns ? Accept(c, l - receive[i + 1], scale[i + 1], cut[i + 1]) : c;
                    boundary += col + 1 < columns ? 0.0 : q;
                }

                flow[f + East] = q;
                outflow += q;

                c = candidate[f + West];
                q = 0.0;
                if (c > 0)
                {
                    q = col > 0 ? Accept(c, l - receive[i - 1], scale[i - 1], cut[i - 1]) : c;
                    boundary += col > 0 ? 0.0 : q;
                }

                flow[f + West] = q;
                outflow += q;

                c = candidate[f + North];
                q = 0.0;
                if (c > 0)
                {
                    q = row > 0 ? Accept(c, l - receive[i - columns], scale[i - columns], cut[i - columns]) : c;
                    boundary += row > 0 ? 0.0 : q;
                }

                flow[f + North] = q;
                outflow += q;

                c = candidate[f + South];
                q = 0.0;
                if (c > 0)
                {
                    q = row + 1 < rows ? Accept(c, l - receive[i + columns], scale[i + columns], cut[i + columns]) : c;
                    boundary += row + 1 < rows ? 0.0 : q;
                }

                flow[f + South] = q;
                outflow += q;

                double inflow = 0.0;
                double lr = receive[i];
                double s = scale[i];
                double k = cut[i];
                if (col + 1 < columns)
                {
                    inflow += Accept(candidate[(4 * (i + 1)) + West], level[i + 1] - lr, s, k);
                }

                if (col > 0)
                {
                    inflow += Accept(candidate[(4 * (i - 1)) + East], level[i - 1] - lr, s, k);
                }

                if (row > 0)
                {
                    inflow += Accept(candidate[(4 * (i - columns)) + South], level[i - columns] - lr, s, k);
                }

                if (row + 1 < rows)
                {
                    inflow += Accept(candidate[(4 * (i + columns)) + North], level[i + columns] - lr, s, k);
                }

                if (outflow != 0.0 || inflow != 0.0)
                {
                    double d = depth[i] - outflow + inflow;
                    depth[i] = d;
                    Track(i, d, endTime);
                }
            }
        }

        BoundaryOutflowM3 += boundary * _cellArea;

        static double Accept(double candidate, double difference, double scale, double cut)
        {
            return candidate > 0 && difference >= cut ? candidate * scale : 0.0;
        }
    }

    private void Track(int cell, double depth, double time)
    {
        if (depth <= _maxDepth[cell])
        {
            return;
        }

        _maxDepth[cell] = depth;
        for (int k = 0; k < _thresholds.Length; k++)
        {
            if (depth >= _thresholds[k] && double.IsNaN(_firstAbove[k][cell]))
            {
                _firstAbove[k][cell] = time;
            }
        }
    }
}
