namespace CityTwin.Scenarios.Models;

/// <summary>
/// A river routed reach by reach with Muskingum-Cunge (Cunge 1969; Ponce, Engineering Hydrology, 1989, section 9.4):
/// each reach is cut into sub-reaches whose K = dx / c and x = (1 - q / (S c dx)) / 2 come from the channel's Manning
/// rating at a reference flow, with dx chosen so that every coefficient is non-negative. Lateral water (a district's
/// runoff in, overbank water out) joins the inflow of the sub-reach where it enters. Stage is the rating curve's depth.
/// </summary>
/// <remarks>
/// The parameters are held constant over a run (constant-parameter Muskingum-Cunge at a reference flow, Ponce's
/// recommendation being a flow between base and peak), so the routing is linear and the volume in the channel,
/// S = sum K (x I + (1 - x) O), changes by exactly what the flows bring and take (<see cref="BalanceErrorM3"/>).
/// </remarks>
public sealed class RiverChannel
{
    private readonly RiverReach[] _reaches;
    private readonly int[] _reachOf;
    private readonly double[] _k, _x, _c0, _c1, _c2, _downstreamChainage;
    private readonly double[] _inflow, _outflow, _lateralRate, _pending;
    private readonly double _initialStorage;
    private double _clock, _upstreamNow, _lastOutflow;

    /// <summary>
    /// Builds the channel. <paramref name="referenceFlowM3s"/> fixes the Cunge parameters, <paramref name="baseFlowM3s"/>
    /// is the steady flow everywhere at the start, and the routing step is at most <paramref name="maxStepSeconds"/>.
    /// </summary>
    public RiverChannel(IReadOnlyList<RiverReach> reaches, double referenceFlowM3s, double baseFlowM3s, double maxStepSeconds)
    {
        ArgumentNullException.ThrowIfNull(reaches);
        if (reaches.Count == 0 || reaches.Any(r => !(r.LengthM > 0)))
        {
            throw new ArgumentException("A river needs at least one reach of positive length.", nameof(reaches));
        }

        if (!(referenceFlowM3s > 0) || !(baseFlowM3s >= 0) || !(maxStepSeconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(referenceFlowM3s), "Need a positive reference flow and step, and a non-negative base flow.");
        }

        _reaches = [.. reaches];

        // The shortest sub-reach bounds the step from above (C <= 1 + D); halve the step until every reach fits.
        double dt = maxStepSeconds;
        List<(int Reach, double Dx, double K, double X)> subs;
        while (!TryLayout(dt, referenceFlowM3s, out subs))
        {
            dt /= 2;
            if (dt < 1e-3)
            {
                throw new ArgumentException("No routing step keeps the Muskingum-Cunge coefficients non-negative for these reaches.", nameof(reaches));
            }
        }

        StepSeconds = dt;
        int n = subs.Count;
        _reachOf = new int[n];
        _k = new double[n];
        _x = new double[n];
        _c0 = new double[n];
        _c1 = new double[n];
        _c2 = new double[n];
        _downstreamChainage = new double[n];
        double chainage = 0;
        for (int j = 0; j < n; j++)
        {
            (int reach, double dx, double k, double x) = subs[j];
            chainage += dx;
            _reachOf[j] = reach;
            _k[j] = k;
            _x[j] = x;
            _downstreamChainage[j] = chainage;
            (_c0[j], _c1[j], _c2[j]) = Muskingum.Coefficients(dt, k, x);
        }

        LengthM = chainage;
        _inflow = Enumerable.Repeat(baseFlowM3s, n).ToArray();
        _outflow = Enumerable.Repeat(baseFlowM3s, n).ToArray();
        _lateralRate = new double[n];
        _pending = new double[n];
        _upstreamNow = baseFlowM3s;
        _lastOutflow = baseFlowM3s;
        _initialStorage = StorageM3;
    }

    /// <summary>The routing step, seconds.</summary>
    public double StepSeconds { get; }

    /// <summary>Channel length, m.</summary>
    public double LengthM { get; }

    /// <summary>Number of sub-reaches (routing nodes).</summary>
    public int NodeCount => _k.Length;

    /// <summary>Routed time, seconds.</summary>
    public double ElapsedSeconds => _clock;

    /// <summary>Volume that entered at the upstream end, m^3.</summary>
    public double UpstreamInflowM3 { get; private set; }

    /// <summary>Net lateral volume routed so far (in minus out), m^3.</summary>
    public double LateralInflowM3 { get; private set; }

    /// <summary>Volume that left at the downstream end, m^3.</summary>
    public double OutflowM3 { get; private set; }

    /// <summary>Lateral volume handed over but not yet routed (it joins the next step), m^3.</summary>
    public double PendingLateralM3 => _pending.Sum();

    /// <summary>Muskingum storage in the channel now, m^3.</summary>
    public double StorageM3
    {
        get
        {
            double s = 0;
            for (int j = 0; j < _k.Length; j++)
            {
                s += _k[j] * ((_x[j] * _inflow[j]) + ((1 - _x[j]) * _outflow[j]));
            }

            return s;
        }
    }

    /// <summary>Storage change minus (upstream in + lateral - outflow), m^3; zero up to rounding.</summary>
    public double BalanceErrorM3 => StorageM3 - _initialStorage - (UpstreamInflowM3 + LateralInflowM3 - OutflowM3);

    /// <summary>Outflow at the downstream end now, m^3/s.</summary>
    public double DownstreamFlowM3s => _outflow[^1];

    /// <summary>The routing node holding chainage <paramref name="chainageM"/> (m from the upstream end).</summary>
    public int NodeAt(double chainageM)
    {
        for (int j = 0; j < _downstreamChainage.Length; j++)
        {
            if (chainageM <= _downstreamChainage[j])
            {
                return j;
            }
        }

        return _downstreamChainage.Length - 1;
    }

    /// <summary>Chainage of a node's downstream end, m.</summary>
    public double DownstreamChainageM(int node) => _downstreamChainage[node];

    /// <summary>Muskingum K (s) and x of a node.</summary>
    public (double KSeconds, double X) Parameters(int node) => (_k[node], _x[node]);

    /// <summary>Flow at a node's downstream end, m^3/s.</summary>
    public double FlowM3s(int node) => _outflow[node];

    /// <summary>Mean of a node's inflow and outflow, m^3/s: the flow along the sub-reach.</summary>
    public double MeanFlowM3s(int node) => 0.5 * (_inflow[node] + _outflow[node]);

    /// <summary>Depth by the rating curve of the node's reach at a flow, m.</summary>
    public double DepthM(int node, double flowM3s) => _reaches[_reachOf[node]].Channel.DepthM(flowM3s);

    /// <summary>Flow by the rating curve of the node's reach at a depth, m^3/s.</summary>
    public double FlowAtDepthM3s(int node, double depthM) => _reaches[_reachOf[node]].Channel.DischargeM3s(depthM);

    /// <summary>Hands lateral water to a node (negative takes water out); it joins the next routing step.</summary>
    public void AddLateral(int node, double volumeM3)
    {
        if (!double.IsFinite(volumeM3))
        {
            throw new ArgumentOutOfRangeException(nameof(volumeM3), volumeM3, "A lateral volume must be finite.");
        }

        _pending[node] += volumeM3;
    }

    /// <summary>Routes whole steps up to <paramref name="toSeconds"/> with the upstream inflow given as a function of time (s).</summary>
    public void AdvanceTo(double toSeconds, Func<double, double> upstreamInflowM3s)
    {
        ArgumentNullException.ThrowIfNull(upstreamInflowM3s);
        double dt = StepSeconds;
        int steps = (int)Math.Floor(((toSeconds - _clock) / dt) + 1e-9);
        if (steps <= 0)
        {
            return;
        }

        // The lateral water handed over since the last call spreads evenly over the steps it covers.
        var share = new double[_pending.Length];
        for (int j = 0; j < share.Length; j++)
        {
            share[j] = _pending[j] / steps;
        }

        for (int step = 0; step < steps; step++)
        {
            double t = _clock + dt;
            double upstream = Math.Max(0, upstreamInflowM3s(t));
            UpstreamInflowM3 += 0.5 * (_upstreamNow + upstream) * dt;
            _upstreamNow = upstream;
            double feed = upstream;
            for (int j = 0; j < _k.Length; j++)
            {
                // A withdrawal larger than what reaches the sub-reach is cut to it: a channel cannot run below empty.
                double wanted = step == steps - 1 ? _pending[j] : share[j];
                double lateral = Math.Max(wanted / dt, -feed);
                _pending[j] -= lateral * dt;
                double inflow = feed + lateral;
                LateralInflowM3 += 0.5 * (_lateralRate[j] + lateral) * dt;
                _lateralRate[j] = lateral;
                double outflow = (_c0[j] * inflow) + (_c1[j] * _inflow[j]) + (_c2[j] * _outflow[j]);
                _inflow[j] = inflow;
                _outflow[j] = Math.Max(0, outflow);
                feed = _outflow[j];
            }

            OutflowM3 += 0.5 * (_lastOutflow + feed) * dt;
            _lastOutflow = feed;
            _clock = t;
        }
    }

    private bool TryLayout(double dt, double referenceFlow, out List<(int Reach, double Dx, double K, double X)> subs)
    {
        subs = [];
        for (int r = 0; r < _reaches.Length; r++)
        {
            RectangularChannel channel = _reaches[r].Channel;
            double c = channel.CelerityMps(referenceFlow);
            double q = referenceFlow / channel.WidthM;

            // dx at most c dt + q / (S c) keeps C + D >= 1, i.e. C0 >= 0 (Ponce 1989).
            double maxDx = (c * dt) + (q / (channel.Slope * c));
            int count = Math.Max(1, (int)Math.Ceiling(_reaches[r].LengthM / maxDx));
            double dx = _reaches[r].LengthM / count;
            double k = dx / c;
            double x = Math.Clamp(0.5 * (1 - (q / (channel.Slope * c * dx))), 0, Muskingum.MaxX);
            if (Muskingum.Rule(dt, k, x) is not null)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                subs.Add((r, dx, k, x));
            }
        }

        return true;
    }
}
