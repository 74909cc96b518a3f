using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Drills;
using CityTwin.Scenarios.Forks;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Runs one scenario on a fork the caller owns (the registry and the CLI create and release forks): picks the engine for
/// the kind, advances simulated time, then adds the alerts and warnings the fork's rules raised to the timeline, apart
/// from those about what the fork carried over from the live twin, which go to <see cref="ScenarioResult.CarriedOver"/>.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>Runs <paramref name="definition"/> on <paramref name="fork"/>; on cancellation the partial result is in <paramref name="result"/>.</summary>
    public static async Task<ScenarioResult> RunAsync(TwinFork fork, ScenarioDefinition definition, Action<ScenarioProgress>? progress = null,
        string runId = "", ScenarioResult? result = null, CancellationToken cancellationToken = default)
    {
        DateTimeOffset start = fork.Clock.GetUtcNow();
        result ??= new ScenarioResult { Name = definition.Name, Kind = ScenarioParser.Kebab(definition.Kind.ToString()), SimulatedStart = start };
        result.SimulatedStart = start;
        result.SimulatedEnd = start;
        result.CarriedOver = fork.CarriedOver;
        if (definition.LiveCases == LiveCaseMode.Running)
        {
            await fork.ThawCarriedCasesAsync();
        }

        var ctx = new RunContext(fork, definition, result, (p, at, message) =>
            progress?.Invoke(new ScenarioProgress(runId, definition.Name, ScenarioRunStatus.Running, p, at, message)));
        try
        {
            switch (definition.Kind)
            {
                case ScenarioKind.Rainfall or ScenarioKind.RiverRise:
                    await FloodEngine.RunAsync(ctx, cancellationToken);
                    break;
                case ScenarioKind.GasLeak:
                    await GasEngine.RunAsync(ctx, cancellationToken);
                    break;
                case ScenarioKind.Drill:
                    await DrillEngine.RunAsync(ctx, cancellationToken);
                    break;
                default:
                    await EventChainAsync(ctx, cancellationToken);
                    break;
            }
        }
        finally
        {
            CollectAlerts(fork, ctx);
        }

        return result;
    }

    private static async Task EventChainAsync(RunContext ctx, CancellationToken cancellationToken)
    {
        ctx.Note(TimeSpan.Zero, "start", $"{ctx.Definition.Title}: {ctx.Definition.Timeline.Count} events");
        for (TimeSpan t = ctx.Definition.ReportEvery; ; t += ctx.Definition.ReportEvery)
        {
            TimeSpan to = t < ctx.Definition.Duration ? t : ctx.Definition.Duration;
            await ctx.AdvanceToAsync(to, cancellationToken);
            if (to >= ctx.Definition.Duration)
            {
                break;
            }
        }

        ctx.Note(ctx.Elapsed, "end", "timeline played");
    }

    private static void CollectAlerts(TwinFork fork, RunContext ctx)
    {
        // The fork's own alert bus: everything its rules raised (river tiers, gas alarms, muck-truck violations).
        IReadOnlyList<Alert> all = fork.Silo.Alerts.Recent(limit: AlertBus.RecentCapacity);
        ScenarioResult result = ctx.Result;
        CarryOver carried = fork.CarriedOver;
        var carriedIds = new HashSet<string>(carried.Cases.Select(c => c.Id).Concat(carried.Alarms.Select(a => a.SensorId)), StringComparer.Ordinal);
        bool IsCarried(Alert a) => carriedIds.Contains(a.EntityId) || (a.Details?.GetValueOrDefault("caseId") is { } caseId && carriedIds.Contains(caseId));
        // Oldest first, and alerts of one time by entity: grains raising alerts at the same simulated time publish them in
        // whatever order their turns ran; one entity's alerts keep the order it raised them in.
        Alert[] alerts = [.. all.Reverse().Where(a => !IsCarried(a)).OrderBy(a => a.At).ThenBy(a => a.EntityId, StringComparer.Ordinal)];
        lock (carried.Timeline)
        {
            carried.Timeline.Clear();
            carried.Timeline.AddRange(all.Reverse().Where(IsCarried).OrderBy(a => a.At).ThenBy(a => a.EntityId, StringComparer.Ordinal).Select(Entry));
        }

        lock (result.Timeline)
        {
            foreach (Alert a in alerts)
            {
                result.Timeline.Add(Entry(a));
            }

            // Stable: entries at one time keep the order they were added in.
            TimelineEntry[] sorted = [.. result.Timeline.OrderBy(e => e.At)];
            result.Timeline.Clear();
            result.Timeline.AddRange(sorted);
        }

        result.Figures["alerts"] = alerts.Count(a => a.Channel == "alert");
        result.Figures["warnings"] = alerts.Count(a => a.Channel == "warning");
        result.Figures["carriedOverCases"] = carried.Cases.Count;
        result.Figures["carriedOverAlerts"] = carried.Timeline.Count;
    }

    private static TimelineEntry Entry(Alert a) =>
        new(a.At, a.Channel, $"{a.Kind}: {a.Message}", a.EntityId, JsonNamingPolicy.CamelCase.ConvertName(a.Severity.ToString()));
}
