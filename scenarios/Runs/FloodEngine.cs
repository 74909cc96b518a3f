using System.Diagnostics;
using System.Text.Json.Nodes;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Rainfall and river-rise runs: the fork's cells become a <see cref="CellularFloodModel"/> (SCS runoff, drainage sink,
/// WCA2D routing) stepped on arrays, coupled to the river (<see cref="ForkRiver"/>: routed by Muskingum-Cunge, or held
/// at an imposed stage); at the reporting cadence the depths go to the cell grains, gauge stages to the gauge grains (so
/// their tiered and rate-of-rise warnings fire), and the fork's clock moves on so timers, SLAs and reminders keep pace.
/// </summary>
internal static class FloodEngine
{
    /// <summary>Water deeper than this cuts off cars and roads (0.3 m floats most cars).</summary>
    public const double CutOffDepthM = 0.3;

    /// <summary>
    /// A cell grain hears a new depth when it moved by more than this since it last heard (or crossed 0.15, 0.3 or 0.5 m):
    /// cell grains follow the model to the centimetre, and a finer tolerance would wake nearly every cell light rain wets.
    /// </summary>
    public const double PushToleranceM = 0.01;

    private static readonly double[] _thresholds = [0.15, CutOffDepthM, 0.5];

    // Between reporting instants far apart, the physics still reports progress this often (real time), so a long interval
    // is never taken for a stalled run.
    private static readonly TimeSpan ComputingReportEvery = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(RunContext ctx, CancellationToken cancellationToken)
    {
        ScenarioDefinition def = ctx.Definition;
        ScenarioResult result = ctx.Result;
        var physics = new Stopwatch();
        var waiting = new Stopwatch();
        var grainWork = new GrainWorkTimes();
        var reading = Stopwatch.StartNew();
        var sinceReport = Stopwatch.StartNew();
        ForkCells cells = await ForkCells.ReadAsync(ctx.Fork.Silo.GrainFactory, ctx.Fork.Directory, cancellationToken);
        var model = new CellularFloodModel(cells.Grid, new FloodModelOptions { OpenBoundary = true, DepthThresholdsM = _thresholds });
        Hyetograph? storm = def.Rainfall?.ToHyetograph();
        int[] riverCells = Enumerable.Range(0, cells.IsRiver.Length).Where(i => cells.IsRiver[i]).ToArray();
        List<GaugeInfo> gauges = await ReadGaugesAsync(ctx, cells);
        var sink = new CellResultSink(ctx.Fork.Silo.GrainFactory, cells.Ids, PushToleranceM, _thresholds);
        reading.Stop();
        double dt = def.Step.TotalSeconds;
        double total = def.Duration.TotalSeconds;

        // Without an imposed stage the river is routed: a rainfall run without a river section routes the base flow
        // and the district's own runoff.
        RiverSpec? imposed = def.River is { IsRouted: false } r ? r : null;
        ForkRiver? river = imposed is null ? CreateRiver(cells, def.River ?? new RiverSpec([]), storm, gauges, total, dt) : null;
        if (river is not null)
        {
            model.SetChannelCells(cells.IsRiver);
        }

        var upstreamHydrograph = new List<HydrographPoint>();
        RecordHydrographs(ctx, river, gauges, upstreamHydrograph, 0);
        ctx.Note(TimeSpan.Zero, "start", (storm is null
            ? $"{def.Title}: river on {riverCells.Length} river cells, {cells.Grid.CellCount} cells"
            : $"{def.Title}: {storm.TotalDepthMm:0.#} mm in {storm.DurationSeconds / 3600:0.##} h on {cells.Grid.CellCount} cells")
            + (river is null ? "" : $"; river routed in {river.ReachCount} reaches from {river.BaseFlowM3s:0} m3/s"));

        double reportEvery = def.ReportEvery.TotalSeconds;
        double nextReport = reportEvery;
        double t = 0;
        var depths = new double[cells.Grid.CellCount];

        // The fork hears one reporting interval's results while the physics computes the next: the physics never reads
        // the grains, so on a machine with two cores the grain work (cell pushes, gauges, timers) overlaps the arrays'.
        Task hearing = Task.CompletedTask;
        try
        {
            while (t < total - 1e-9)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double step = Math.Min(dt, total - t);
                physics.Start();
                if (imposed is not null)
                {
                    // The channel is held at the imposed stage: water is added where it stands lower, so what spills over
                    // the banks is routed like any other water.
                    double rise = Math.Max(0, imposed.RiseAt(TimeSpan.FromSeconds(t + step)));
                    foreach (int i in riverCells)
                    {
                        double missing = rise - model.DepthM[i];
                        if (missing > 0)
                        {
                            model.AddWater(i, missing);
                        }
                    }
                }

                river?.SetChannelDepths(model, step);
                model.Step(step, storm?.DepthBetweenMm(t, t + step) ?? 0);
                river?.Exchange(model, t + step);
                physics.Stop();
                t += step;
                if (sinceReport.Elapsed >= ComputingReportEvery)
                {
                    sinceReport.Restart();
                    ctx.ReportModelTime(TimeSpan.FromSeconds(t), "computing");
                }

                if (t >= nextReport - 1e-9 || t >= total - 1e-9)
                {
                    sinceReport.Restart();
                    nextReport += reportEvery;
                    waiting.Start();
                    await hearing;
                    waiting.Stop();

                    // The previous interval is done with the buffer; the fork now hears this one in the background.
                    model.DepthM.CopyTo(depths);
                    double at = t;
                    double[] levels = RecordHydrographs(ctx, river, gauges, upstreamHydrograph, t) ?? gauges.Select(g => g.NormalLevelM + depths[g.CellIndex]).ToArray();
                    hearing = Task.Run(() => HearAsync(ctx, sink, depths, cells.GasPpm, gauges, levels, at, grainWork, cancellationToken), cancellationToken);
                }
            }

            waiting.Start();
            await hearing;
            waiting.Stop();
        }
        finally
        {
            // Even a cancelled run reports what it computed so far, once the fork has stopped hearing it.
            await hearing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var reporting = Stopwatch.StartNew();
            await ReportAsync(ctx, cells, model, gauges, storm, t, cancellationToken.IsCancellationRequested);
            ReportRiver(ctx, river, gauges, upstreamHydrograph);
            result.Figures["physicsSeconds"] = Math.Round(physics.Elapsed.TotalSeconds, 3);
            result.Figures["readCellsSeconds"] = Math.Round(reading.Elapsed.TotalSeconds, 3);
            result.Figures["pushSeconds"] = Math.Round(grainWork.Push.Elapsed.TotalSeconds, 3);
            result.Figures["advanceSeconds"] = Math.Round(grainWork.Advance.Elapsed.TotalSeconds, 3);
            result.Figures["waitSeconds"] = Math.Round(waiting.Elapsed.TotalSeconds, 3);
            result.Figures["reportSeconds"] = Math.Round(reporting.Elapsed.TotalSeconds, 3);
            result.Figures["cellGrainUpdates"] = sink.Pushes;
        }
    }

    // One reporting instant: depths to the cell grains, levels to the gauges, then the fork's clock moves on to it.
    private static async Task HearAsync(RunContext ctx, CellResultSink sink, double[] depths, double[] gasPpm, List<GaugeInfo> gauges, double[] levels, double seconds,
        GrainWorkTimes times, CancellationToken cancellationToken)
    {
        DateTimeOffset now = ctx.Start + TimeSpan.FromSeconds(seconds);
        times.Push.Start();
        await sink.PushAsync(depths, (cell, i, depth) => cell.SetConditionsAsync(Math.Round(depth, 4), gasPpm[i], now), cancellationToken);
        await RecordGaugesAsync(ctx, gauges, levels, TimeSpan.FromSeconds(seconds), cancellationToken);
        times.Push.Stop();
        times.Advance.Start();
        await ctx.AdvanceToAsync(TimeSpan.FromSeconds(seconds), cancellationToken);
        times.Advance.Stop();
    }

    private static async Task<List<GaugeInfo>> ReadGaugesAsync(RunContext ctx, ForkCells cells)
    {
        var list = new List<GaugeInfo>();
        foreach (EntitySummary g in ctx.Fork.Directory.OfType(EntityType.Gauge).InIdOrder())
        {
            int index = cells.IndexOf(g.CellId);
            if (index < 0)
            {
                continue;
            }

            StateFields f = await StateFields.ReadAsync(ctx.Fork.Silo.GrainFactory, g, "bedElevationM", "normalLevelM", "warningLevelM", "guaranteedLevelM", "historicMaxLevelM");
            double normal = f.Number("normalLevelM") ?? cells.Grid.ElevationM[index];
            list.Add(new GaugeInfo(g, index, f.Number("bedElevationM") ?? cells.Grid.ElevationM[index], normal, f.Number("warningLevelM") ?? double.PositiveInfinity,
                f.Number("guaranteedLevelM") ?? double.PositiveInfinity, f.Number("historicMaxLevelM") ?? double.PositiveInfinity));
        }

        return list;
    }

    // Levels are the routed stage (bed + rating-curve depth) or, with an imposed stage, the normal level plus the water the
    // model holds in the gauge's cell (the channel starts dry there and the river's own flow is the imposed rise).
    private static async Task RecordGaugesAsync(RunContext ctx, List<GaugeInfo> gauges, double[] levels, TimeSpan at, CancellationToken cancellationToken)
    {
        for (int k = 0; k < gauges.Count; k++)
        {
            GaugeInfo g = gauges[k];
            double level = Math.Round(levels[k], 3);
            g.PeakLevelM = Math.Max(g.PeakLevelM, level);
            await ctx.RecordReadingAsync(g.Summary, level, "m", cancellationToken);

            // Tiers rise in order even where the record high lies below the guaranteed level.
            string? tier = level >= Math.Max(g.HistoricMaxLevelM, g.GuaranteedLevelM) ? "red" : level >= g.GuaranteedLevelM ? "orange" : level >= g.WarningLevelM ? "yellow" : null;
            if (tier is not null && tier != g.Tier)
            {
                g.Tier = tier;
                ctx.Note(at, "gauge-level", $"{g.Summary.Name ?? g.Summary.Id} at {level:0.00} m: {tier} ({TierAction(tier)})", g.Summary.Id, tier);
            }
        }
    }

    private static string TierAction(string tier) => tier switch
    {
        "red" => "transfer now",
        "orange" => "prepare to transfer",
        _ => "notify",
    };

    private static async Task ReportAsync(RunContext ctx, ForkCells cells, CellularFloodModel model, List<GaugeInfo> gauges, Hyetograph? storm, double elapsedSeconds, bool cancelled)
    {
        ScenarioResult result = ctx.Result;
        UtmProjection projection = ctx.Fork.Directory.Projection;
        double[] max = model.MaxDepthM.ToArray();
        double[] depth = model.DepthM.ToArray();
        double[] first015 = model.FirstTimeAboveSeconds(0).ToArray();
        double[] first03 = model.FirstTimeAboveSeconds(1).ToArray();
        double[] first05 = model.FirstTimeAboveSeconds(2).ToArray();
        DateTimeOffset? At(double[] times, int i) => double.IsNaN(times[i]) ? null : ctx.Start + TimeSpan.FromSeconds(times[i]);

        JsonObject layer = GeoJsonLayers.Collection(out JsonArray features);
        int flooded = 0, cutCells = 0;
        double peak = 0;
        for (int i = 0; i < max.Length; i++)
        {
            if (cells.Ids[i] is null)
            {
                continue;
            }

            // The channel's own water is not flooding.
            peak = Math.Max(peak, cells.IsRiver[i] ? 0 : max[i]);
            flooded += !cells.IsRiver[i] && max[i] >= 0.15 ? 1 : 0;
            if (max[i] >= 0.05)
            {
                features.Add(GeoJsonLayers.CellFeature(projection, projection.Forward(cells.Centres[i]), cells.Grid.CellSizeM, cells.Ids[i], new JsonObject
                {
                    ["maxDepthM"] = Math.Round(max[i], 3),
                    ["depthM"] = Math.Round(depth[i], 3),
                    ["firstAbove015At"] = At(first015, i),
                    ["firstAbove05At"] = At(first05, i),
                    ["river"] = cells.IsRiver[i],
                }));
            }

            if (!cells.IsRiver[i] && At(first03, i) is { } cutAt && cutCells < 1_000)
            {
                cutCells++;
                result.CutOff.Add(new CutOffEntity(cells.Ids[i], "cell", cutAt, Math.Round(max[i], 3)));
            }
        }

        result.Layers["maxWaterDepth"] = layer;

        var buildings = new List<BuildingRisk>();
        foreach (EntitySummary b in ctx.Fork.Directory.OfType(EntityType.Building).InIdOrder())
        {
            int i = cells.IndexOf(b.CellId);
            if (i < 0 || max[i] < 0.15)
            {
                continue;
            }

            StateFields f = await StateFields.ReadAsync(ctx.Fork.Silo.GrainFactory, b, "occupants", "elderly");
            buildings.Add(new BuildingRisk(b.Id, b.CellId, (int)(f.Number("occupants") ?? 0), (int)(f.Number("elderly") ?? 0), Math.Round(max[i], 3), At(first015, i), At(first05, i)));
        }

        result.BuildingsAtRisk.AddRange(buildings.OrderBy(b => b.FirstAbove015At));
        int rank = 1;
        foreach (BuildingRisk b in buildings
            .OrderBy(b => b.FirstAbove05At is null ? 1 : 0)
            .ThenBy(b => b.Elderly > 0 ? 0 : 1)
            .ThenBy(b => b.FirstAbove05At ?? b.FirstAbove015At)
            .ThenByDescending(b => b.MaxDepthM))
        {
            bool deep = b.FirstAbove05At is not null;
            result.Evacuation.Add(new EvacuationEntry(rank++, b.BuildingId, deep ? "evacuate" : "prepare", b.Occupants, b.Elderly, b.MaxDepthM, "m",
                deep ? b.FirstAbove05At : b.FirstAbove015At, deep ? "water in its cell passes 0.5 m" : "water in its cell passes 0.15 m"));
        }

        foreach (EntitySummary v in ctx.Fork.Directory.OfType(EntityType.Vehicle).Concat(ctx.Fork.Directory.OfType(EntityType.Station)).InIdOrder())
        {
            int i = CellOf(ctx, cells, v);
            if (i >= 0 && At(first03, i) is { } at)
            {
                result.CutOff.Add(new CutOffEntity(v.Id, v.Type == EntityType.Vehicle ? "vehicle" : "station", at, Math.Round(max[i], 3)));
            }
        }

        result.CutOff.Sort((a, b) => a.At.CompareTo(b.At));
        result.Figures["rainfallMm"] = Math.Round(storm?.CumulativeDepthMm(elapsedSeconds) ?? 0, 2);
        result.Figures["peakDepthM"] = Math.Round(peak, 3);
        result.Figures["floodedCells"] = flooded;
        result.Figures["cutOffCells"] = cutCells;
        result.Figures["buildingsAbove015m"] = buildings.Count;
        result.Figures["buildingsAbove05m"] = buildings.Count(b => b.FirstAbove05At is not null);
        result.Figures["elderlyAtRisk"] = buildings.Sum(b => b.Elderly);
        result.Figures["runoffM3"] = Math.Round(model.RunoffInflowM3, 1);
        result.Figures["drainedM3"] = Math.Round(model.DrainedM3, 1);
        result.Figures["outflowM3"] = Math.Round(model.BoundaryOutflowM3, 1);
        result.Figures["externalInflowM3"] = Math.Round(model.ExternalInflowM3, 1);
        result.Figures["withdrawnM3"] = Math.Round(model.WithdrawnM3, 1);
        result.Figures["massBalanceErrorM3"] = model.MassBalanceErrorM3;
        double moved = model.InitialVolumeM3 + model.RunoffInflowM3 + model.ExternalInflowM3;
        result.Figures["massBalanceRelativeError"] = moved > 0 ? Math.Abs(model.MassBalanceErrorM3) / moved : 0;
        foreach (GaugeInfo g in gauges)
        {
            result.Figures[$"{g.Summary.Id}.peakLevelM"] = g.PeakLevelM;
        }

        ctx.Note(TimeSpan.FromSeconds(elapsedSeconds), cancelled ? "cancelled" : "end",
            $"{buildings.Count} buildings past 0.15 m, {result.Figures["buildingsAbove05m"]} past 0.5 m; peak depth {peak:0.00} m");
    }

    private static ForkRiver? CreateRiver(ForkCells cells, RiverSpec spec, Hyetograph? storm, List<GaugeInfo> gauges, double total, double dt)
    {
        ForkRiver? river = ForkRiver.Create(cells, spec, storm, gauges.Select(g => (g.CellIndex, g.BedM, g.NormalLevelM, g.GuaranteedLevelM)).ToList(), total, dt, out double[] chainage);
        for (int k = 0; river is not null && k < gauges.Count; k++)
        {
            gauges[k].ChainageM = chainage[k];
            gauges[k].Node = river.GaugeNode(chainage[k]);
        }

        return river;
    }

    // The hydrographs at a reporting instant; returns the gauges' stages (null without a routed river).
    private static double[]? RecordHydrographs(RunContext ctx, ForkRiver? river, List<GaugeInfo> gauges, List<HydrographPoint> upstream, double seconds)
    {
        if (river is null)
        {
            return null;
        }

        DateTimeOffset at = ctx.Start + TimeSpan.FromSeconds(seconds);
        upstream.Add(new HydrographPoint(at, Math.Round(river.UpstreamInflowM3s(seconds), 3), null));
        var levels = new double[gauges.Count];
        for (int k = 0; k < gauges.Count; k++)
        {
            GaugeInfo g = gauges[k];
            levels[k] = g.BedM + river.DepthAtNodeM(g.Node);
            g.Hydrograph.Add(new HydrographPoint(at, Math.Round(river.Channel.FlowM3s(g.Node), 3), Math.Round(levels[k], 3)));
        }

        return levels;
    }

    private static void ReportRiver(RunContext ctx, ForkRiver? river, List<GaugeInfo> gauges, List<HydrographPoint> upstream)
    {
        if (river is null)
        {
            return;
        }

        ScenarioResult result = ctx.Result;
        RiverChannel channel = river.Channel;
        var hydrographs = new List<GaugeHydrograph>();
        foreach (GaugeInfo g in gauges.Where(g => g.Hydrograph.Count > 0))
        {
            HydrographPoint peak = g.Hydrograph.MaxBy(p => p.LevelM ?? double.NegativeInfinity)!;
            hydrographs.Add(new GaugeHydrograph(g.Summary.Id, g.Summary.Name, Math.Round(g.ChainageM, 1), g.Hydrograph.Max(p => p.FlowM3s), peak.LevelM ?? 0, peak.At, [.. g.Hydrograph]));
            result.Figures[$"{g.Summary.Id}.peakFlowM3s"] = g.Hydrograph.Max(p => p.FlowM3s);
        }

        result.River = new RiverReport(Math.Round(river.BaseFlowM3s, 3), Math.Round(river.ReferenceFlowM3s, 3), Math.Round(channel.LengthM, 1), river.ReachCount,
            channel.NodeCount, channel.StepSeconds, [.. upstream], hydrographs);
        result.Figures["riverBaseFlowM3s"] = Math.Round(river.BaseFlowM3s, 3);
        result.Figures["riverPeakInflowM3s"] = upstream.Count == 0 ? 0 : upstream.Max(p => p.FlowM3s);
        result.Figures["riverUpstreamInflowM3"] = Math.Round(channel.UpstreamInflowM3, 1);
        result.Figures["riverFromDistrictM3"] = Math.Round(river.FromDistrictM3, 1);
        result.Figures["riverOntoDistrictM3"] = Math.Round(river.OntoDistrictM3, 1);
        result.Figures["riverOutflowM3"] = Math.Round(channel.OutflowM3, 1);
        result.Figures["riverBalanceErrorM3"] = channel.BalanceErrorM3;
    }

    private static int CellOf(RunContext ctx, ForkCells cells, EntitySummary entity)
    {
        int i = cells.IndexOf(entity.CellId);
        if (i >= 0)
        {
            return i;
        }

        List<SpatialHit<string>> near = ctx.Fork.Directory.Near(EntityType.Cell, entity.Position, cells.Grid.CellSizeM);
        return near.Count == 0 ? -1 : cells.IndexOf(near[0].Key);
    }

    private sealed class GrainWorkTimes
    {
        public Stopwatch Push { get; } = new();

        public Stopwatch Advance { get; } = new();
    }

    private sealed class GaugeInfo(EntitySummary summary, int cellIndex, double bedM, double normalLevelM, double warningLevelM, double guaranteedLevelM, double historicMaxLevelM)
    {
        public EntitySummary Summary { get; } = summary;

        public int CellIndex { get; } = cellIndex;

        public double BedM { get; } = bedM;

        public int Node { get; set; }

        public double ChainageM { get; set; }

        public List<HydrographPoint> Hydrograph { get; } = [];

        public double NormalLevelM { get; } = normalLevelM;

        public double WarningLevelM { get; } = warningLevelM;

        public double GuaranteedLevelM { get; } = guaranteedLevelM;

        public double HistoricMaxLevelM { get; } = historicMaxLevelM;

        public double PeakLevelM { get; set; } = normalLevelM;

        public string? Tier { get; set; }
    }
}
