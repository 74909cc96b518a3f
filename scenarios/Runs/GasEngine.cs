using System.Diagnostics;
using System.Text.Json.Nodes;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Gas-leak runs: the source building (from the alarming sensor), wind from the nearest wind sensor unless given, a
/// Pasquill-Gifford class from wind and insolation (or night cloud), then a Gaussian plume (continuous) or the peak of a
/// Gaussian puff (instantaneous) evaluated over every building centroid and cell centre at once; methane is compared
/// with its LEL and carbon monoxide with the EN 50291 levels, giving an evacuation list with elderly residents first.
/// The alarm reading is injected so the fork's rules and case loop react, and the fork's clock runs the duration.
/// </summary>
internal static class GasEngine
{
    /// <summary>Receptor height: breathing height at ground level and at ground-floor windows.</summary>
    public const double ReceptorHeightM = 1.5;

    /// <summary>Methane at this share of the LEL or more: evacuate (a quarter of the LEL is the usual action level).</summary>
    public const double EvacuateLelFraction = 0.25;

    /// <summary>Methane at this share of the LEL or more: alarm and ventilate (household alarms sound at 3-25 % LEL, GB 15322.2).</summary>
    public const double AlarmLelFraction = 0.10;

    public static async Task RunAsync(RunContext ctx, CancellationToken cancellationToken)
    {
        GasSpec gas = ctx.Definition.Gas!;
        ScenarioResult result = ctx.Result;
        var directory = ctx.Fork.Directory;
        UtmProjection projection = directory.Projection;

        EntitySummary source = EntitySelectors.Resolve(gas.Source, directory)
            ?? throw new ScenarioValidationException("$.gas.source", $"'{gas.Source}' matches no sensor or building of this twin");
        EntitySummary? building = source.Type == EntityType.Building ? source : source.BuildingId is { } bid ? directory.Get(bid) : null;
        EntitySummary? alarmSensor = source.Type == EntityType.Sensor ? source
            : building is null ? null : EntitySelectors.SensorOf(directory, building.Id, gas.Substance == GasSubstance.Methane ? "gas" : "carbonmonoxide");
        GeoPoint origin = (building ?? source).Position;
        ProjectedPoint o = projection.Forward(origin);

        (double wind, string windFrom) = WindAt(directory, origin, gas);
        StabilityClass stability = gas.Stability
            ?? (gas.NightCloudOktas is { } oktas ? PasquillGiffordStability.Nighttime(wind, oktas) : PasquillGiffordStability.Daytime(wind, gas.Insolation));
        ctx.Note(TimeSpan.Zero, "start",
            $"{ctx.Definition.Title}: {(gas.Release == GasRelease.Continuous ? $"{gas.RateGps:0.###} g/s continuous" : $"{gas.MassG:0.#} g at once")} " +
            $"of {ScenarioParser.Kebab(gas.Substance.ToString())} from {(building ?? source).Id}; wind {wind:0.#} m/s ({windFrom}) from {gas.WindFromDegrees:0}°, class {stability}",
            (building ?? source).Id);
        result.Figures["windSpeedMps"] = wind;
        result.Figures["windFromDegrees"] = gas.WindFromDegrees;
        result.StabilityClass = stability;

        // Receptors: building centroids, then cell centres, as flat coordinate arrays.
        EntitySummary[] buildings = [.. directory.OfType(EntityType.Building).InIdOrder()];
        EntitySummary[] cells = [.. directory.OfType(EntityType.Cell).InIdOrder()];
        int n = buildings.Length + cells.Length;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            ProjectedPoint p = projection.Forward(i < buildings.Length ? buildings[i].Position : cells[i - buildings.Length].Position);
            x[i] = p.X;
            y[i] = p.Y;
        }

        var watch = Stopwatch.StartNew();
        double[] concentration = Concentrations(gas, wind, stability, o, x, y, ctx.Definition, cancellationToken);
        watch.Stop();
        result.Figures["plumeMilliseconds"] = Math.Round(watch.Elapsed.TotalMilliseconds, 3);
        result.Figures["receptors"] = n;

        // The alarm the scenario starts from: the source's sensor reads well over its threshold, so the fork's rules raise
        // the alert and the case loop dispatches, in simulated time.
        if (alarmSensor is not null)
        {
            double value = gas.Substance == GasSubstance.Methane ? 60 : 400;
            await ctx.RecordReadingAsync(alarmSensor, value, gas.Substance == GasSubstance.Methane ? "%LEL" : "ppm", cancellationToken);
            ctx.Note(TimeSpan.Zero, "alarm", $"{alarmSensor.Id} reads {value} {(gas.Substance == GasSubstance.Methane ? "%LEL" : "ppm")}", alarmSensor.Id, "critical");
        }

        await BuildReportAsync(ctx, gas, buildings, cells, concentration, building, projection);

        var ppm = new double[cells.Length];
        for (int i = 0; i < cells.Length; i++)
        {
            ppm[i] = ToPpm(gas.Substance, concentration[buildings.Length + i]);
        }

        var sink = new CellResultSink(ctx.Fork.Silo.GrainFactory, cells.Select(c => c.Id).ToArray(), 1.0);
        double[] water = [.. cells.Select(c => SummaryFields.Number(c, "waterDepthM") ?? 0)];
        DateTimeOffset at = ctx.Fork.Clock.GetUtcNow();
        await sink.PushAsync(ppm, (cell, i, value) => cell.SetConditionsAsync(water[i], Math.Round(value, 3), at), cancellationToken);
        result.Figures["cellGrainUpdates"] = sink.Pushes;

        // Let the fork live through the scenario's duration so alerts, dispatch and SLAs play out.
        for (TimeSpan t = ctx.Definition.ReportEvery; ; t += ctx.Definition.ReportEvery)
        {
            TimeSpan to = t < ctx.Definition.Duration ? t : ctx.Definition.Duration;
            await ctx.AdvanceToAsync(to, cancellationToken);
            if (to >= ctx.Definition.Duration)
            {
                break;
            }
        }

        ctx.Note(ctx.Elapsed, "end", $"{result.Evacuation.Count} buildings to evacuate or alert ({result.Evacuation.Sum(e => e.Elderly)} elderly residents)");
    }

    /// <summary>
    /// Ground-level concentrations (g/m^3) at receptors: a steady plume, or for a puff the highest concentration each
    /// receptor sees over the run (sampled every physics step).
    /// </summary>
    internal static double[] Concentrations(GasSpec gas, double wind, StabilityClass stability, ProjectedPoint source, double[] x, double[] y, ScenarioDefinition definition,
        CancellationToken cancellationToken = default)
    {
        var c = new double[x.Length];
        if (gas.Release == GasRelease.Continuous)
        {
            new GaussianPlume(gas.RateGps, gas.SourceHeightM, wind, stability, gas.Dispersion).Evaluate(source.X, source.Y, gas.WindFromDegrees, x, y, ReceptorHeightM, c);
            return c;
        }

        var puff = new GaussianPuff(gas.MassG, gas.SourceHeightM, wind, stability, gas.Dispersion);
        var now = new double[x.Length];
        double step = Math.Min(definition.Step.TotalSeconds, 30);
        for (double t = step; t <= definition.Duration.TotalSeconds + 1e-9; t += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            puff.Evaluate(source.X, source.Y, gas.WindFromDegrees, t, x, y, ReceptorHeightM, now);
            for (int i = 0; i < c.Length; i++)
            {
                c[i] = Math.Max(c[i], now[i]);
            }
        }

        return c;
    }

    private static (double SpeedMps, string From) WindAt(CityTwin.Grains.Twin.TwinDirectory directory, GeoPoint origin, GasSpec gas)
    {
        if (gas.WindSpeedMps is { } given)
        {
            return (given, "scenario");
        }

        // The directory answers nearest first; the nearest wind sensor with a reading is the one wanted.
        foreach (SpatialHit<string> hit in directory.Near(EntityType.Sensor, origin, 20_000))
        {
            if (directory.Get(hit.Key) is { } s && SummaryFields.IsKind(s, "wind") && s.Value is { } v && double.IsFinite(v) && v > 0)
            {
                // Below 0.5 m/s the plume equation (1/u) stops meaning anything; calm air is taken as 0.5 m/s.
                return (Math.Max(0.5, v), $"sensor {s.Id}, {hit.DistanceMetres:0} m away");
            }
        }

        return (2.0, "default: no wind sensor has a reading");
    }

    private static double ToPpm(GasSubstance substance, double gramsPerCubicMetre) => GasConcentration.ToPpm(gramsPerCubicMetre,
        substance == GasSubstance.Methane ? GasConcentration.MethaneMolarMassGPerMol : GasConcentration.CarbonMonoxideMolarMassGPerMol);

    private static async Task BuildReportAsync(RunContext ctx, GasSpec gas, EntitySummary[] buildings, EntitySummary[] cells, double[] c, EntitySummary? sourceBuilding, UtmProjection projection)
    {
        ScenarioResult result = ctx.Result;
        bool methane = gas.Substance == GasSubstance.Methane;
        string unit = methane ? "LEL fraction" : "ppm";
        double Measure(double g) => methane ? GasConcentration.MethaneLelFraction(g) : GasConcentration.CarbonMonoxidePpm(g);
        string? Tier(double m) => methane
            ? m >= EvacuateLelFraction ? "evacuate" : m >= AlarmLelFraction ? "alarm" : null
            : CarbonMonoxideAlarm.Classify(m) switch
            {
                CarbonMonoxideAlarmLevel.Ppm300 or CarbonMonoxideAlarmLevel.Ppm100 => "evacuate",
                CarbonMonoxideAlarmLevel.Ppm50 => "alarm",
                _ => null,
            };

        JsonObject buildingLayer = GeoJsonLayers.Collection(out JsonArray buildingFeatures);
        var listed = new List<(EntitySummary B, string Tier, double Measure, int Occupants, int Elderly, string Reason)>();
        double peak = 0;
        for (int i = 0; i < buildings.Length; i++)
        {
            EntitySummary b = buildings[i];
            bool isSource = sourceBuilding is not null && b.Id == sourceBuilding.Id;
            double m = Measure(c[i]);
            peak = Math.Max(peak, m);
            string? tier = isSource ? "evacuate" : Tier(m);
            if (m > 0 && (tier is not null || m >= (methane ? 0.01 : 9)))
            {
                buildingFeatures.Add(GeoJsonLayers.PointFeature(b.Position, b.Id, new JsonObject
                {
                    ["concentrationGpm3"] = c[i],
                    ["ppm"] = Math.Round(ToPpm(gas.Substance, c[i]), 2),
                    [methane ? "lelFraction" : "coPpm"] = Math.Round(m, 4),
                    ["tier"] = tier,
                }));
            }

            if (tier is null)
            {
                continue;
            }

            StateFields f = await StateFields.ReadAsync(ctx.Fork.Silo.GrainFactory, b, "occupants", "elderly");
            listed.Add((b, tier, isSource ? Math.Max(m, methane ? 1 : 300) : m, (int)(f.Number("occupants") ?? 0), (int)(f.Number("elderly") ?? 0),
                isSource ? "source of the leak" : methane ? $"{m * 100:0.#} % of the LEL" : $"{m:0} ppm CO ({CarbonMonoxideAlarm.Classify(m)})"));
        }

        result.Layers["buildingGas"] = buildingLayer;
        int rank = 1;
        foreach (var e in listed
            .OrderBy(e => e.Tier == "evacuate" ? 0 : 1)
            .ThenBy(e => e.Elderly > 0 ? 0 : 1)
            .ThenByDescending(e => e.Measure))
        {
            result.Evacuation.Add(new EvacuationEntry(rank++, e.B.Id, e.Tier, e.Occupants, e.Elderly, Math.Round(e.Measure, 4), unit, ctx.Start, e.Reason));
        }

        JsonObject cellLayer = GeoJsonLayers.Collection(out JsonArray cellFeatures);
        for (int i = 0; i < cells.Length; i++)
        {
            double g = c[buildings.Length + i];
            double ppm = ToPpm(gas.Substance, g);
            if (ppm >= 1)
            {
                cellFeatures.Add(GeoJsonLayers.CellFeature(projection, projection.Forward(cells[i].Position), CellSize(cells), cells[i].Id, new JsonObject
                {
                    ["concentrationGpm3"] = g,
                    ["ppm"] = Math.Round(ppm, 2),
                    [methane ? "lelFraction" : "coPpm"] = Math.Round(Measure(g), 4),
                }));
            }
        }

        result.Layers["gasConcentration"] = cellLayer;
        result.Figures[methane ? "peakLelFraction" : "peakCoPpm"] = Math.Round(peak, 4);
        result.Figures["buildingsToEvacuate"] = listed.Count(e => e.Tier == "evacuate");
        result.Figures["buildingsToAlarm"] = listed.Count(e => e.Tier == "alarm");
        result.Figures["elderlyToEvacuate"] = listed.Where(e => e.Tier == "evacuate").Sum(e => e.Elderly);
    }

    private static double CellSize(EntitySummary[] cells) => cells.Length == 0 ? 100 : SummaryFields.Number(cells[0], "sizeM") ?? 100;
}
