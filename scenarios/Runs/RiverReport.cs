namespace CityTwin.Scenarios.Runs;

/// <summary>
/// The routed river of a flood run: the upstream inflow hydrograph, the hydrograph at every gauge, and how the channel
/// was laid out (reaches cut at the gauges, Muskingum-Cunge sub-reaches, the flows its parameters were set at).
/// </summary>
/// <param name="BaseFlowM3s">Steady flow at the start, m^3/s.</param>
/// <param name="ReferenceFlowM3s">Flow the Muskingum-Cunge parameters were set at, m^3/s.</param>
/// <param name="LengthM">Channel length inside the district, m.</param>
/// <param name="Reaches">Reaches (cut at the gauges).</param>
/// <param name="RoutingNodes">Muskingum-Cunge sub-reaches.</param>
/// <param name="RoutingStepSeconds">Routing time step, s.</param>
/// <param name="UpstreamInflow">Inflow at the district's upstream edge per reporting instant.</param>
/// <param name="Gauges">Flow and stage at each gauge.</param>
public sealed record RiverReport(double BaseFlowM3s, double ReferenceFlowM3s, double LengthM, int Reaches, int RoutingNodes, double RoutingStepSeconds,
    IReadOnlyList<HydrographPoint> UpstreamInflow, IReadOnlyList<GaugeHydrograph> Gauges);
