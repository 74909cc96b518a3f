using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Drills;

/// <summary>
/// Drills: each incident's sensor reading is injected at its time so the fork's rules raise the alert; after the dispatch
/// delay the nearest free unit of each requested kind is sent (straight-line distance times a network factor, as the
/// case loop estimates travel), moves towards the scene at its set speed in simulated time (vehicles report positions to
/// their grains), arrives, works on scene, and is free again. Times are exact, not rounded to the clock's ticks.
/// </summary>
internal static class DrillEngine
{
    // How often moving vehicles report a position to their grains (simulated).
    private static readonly TimeSpan _moveEvery = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(RunContext ctx, CancellationToken cancellationToken)
    {
        DrillSpec drill = ctx.Definition.Drill!;
        TwinDirectory directory = ctx.Fork.Directory;
        UtmProjection projection = directory.Projection;
        AlertBus alerts = ctx.Fork.Silo.Services.GetRequiredService<AlertBus>();
        var busyUntil = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var moving = new List<Movement>();
        var results = new List<DrillIncidentResult>();
        ctx.Note(TimeSpan.Zero, "start", $"{ctx.Definition.Title}: {drill.Incidents.Count} incidents; target first-unit travel {drill.TargetTravelSeconds:0} s for {drill.TargetShare:P0}");

        foreach (DrillIncidentSpec incident in drill.Incidents.OrderBy(i => i.At))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await MoveUntilAsync(ctx, moving, incident.At, cancellationToken);
            EntitySummary? building = EntitySelectors.Resolve(incident.Building, directory);
            if (building is null)
            {
                ctx.Note(incident.At, "skipped", $"{incident.Id}: '{incident.Building}' is not a building of this twin", incident.Building, "warning");
                continue;
            }

            if (building.Type == EntityType.Sensor && building.BuildingId is { } bid && directory.Get(bid) is { } owner)
            {
                building = owner;
            }

            DateTimeOffset detected = ctx.Fork.Clock.GetUtcNow();
            long before = alerts.Published;
            EntitySummary? sensor = EntitySelectors.SensorOf(directory, building.Id, incident.SensorKind);
            if (sensor is not null)
            {
                await ctx.RecordReadingAsync(sensor, incident.Value, null, cancellationToken);
            }

            ctx.Note(incident.At, "incident", $"{incident.Id} ({incident.Category}) at {building.Id}" + (sensor is null ? " (no sensor: reported by phone)" : $": {sensor.Id} reads {incident.Value}"), building.Id, "critical");

            // The rule's alert carries the fork's time; without one (no sensor, or no rule) the call-in is the alert.
            Alert? alert = alerts.Published > before
                ? alerts.Recent(a => a.BuildingId == building.Id || a.EntityId == sensor?.Id || a.EntityId == building.Id, 1).FirstOrDefault()
                : null;
            DateTimeOffset alerted = alert?.At ?? detected;
            DateTimeOffset dispatched = alerted + drill.DispatchDelay;
            ProjectedPoint scene = projection.Forward(building.Position);

            var units = new List<DrillUnitResult>();
            foreach (string kind in incident.Units)
            {
                EntitySummary? unit = Nearest(directory, kind, scene, projection, busyUntil, dispatched, units);
                if (unit is null)
                {
                    ctx.Note(incident.At, "no-unit", $"{incident.Id}: no free {kind} to send", building.Id, "warning");
                    continue;
                }

                double distance = projection.Forward(unit.Position).DistanceTo(scene) * drill.NetworkFactor;
                double speedKmh = kind == "responder" ? drill.ResponderSpeedKmh : drill.VehicleSpeedKmh;
                double travel = distance / (speedKmh / 3.6);
                DateTimeOffset arrived = dispatched + TimeSpan.FromSeconds(travel);
                busyUntil[unit.Id] = arrived + drill.OnScene;
                units.Add(new DrillUnitResult(unit.Id, kind, Math.Round(distance, 1), Math.Round(travel, 1), dispatched, arrived));
                moving.Add(new Movement(unit, kind, incident.Id, unit.Position, building.Position, dispatched, arrived, arrived + drill.OnScene));
            }

            DrillUnitResult? first = units.MinBy(u => u.ArrivedAt);
            DateTimeOffset? resolved = first is null ? null : first.ArrivedAt + drill.OnScene;
            bool met = first is not null && first.TravelSeconds <= drill.TargetTravelSeconds;
            results.Add(new DrillIncidentResult(
                incident.Id, incident.Category, building.Id, detected, alerted, alert is null ? "call-in" : $"rule: {alert.Kind}",
                units.Count == 0 ? null : dispatched, first?.ArrivedAt, resolved, (alerted - detected).TotalSeconds,
                units.Count == 0 ? null : (dispatched - alerted).TotalSeconds, first?.TravelSeconds,
                first is null ? null : Math.Round((first.ArrivedAt - detected).TotalSeconds, 1), met, units));
            if (first is not null)
            {
                ctx.Note(dispatched - ctx.Start, "dispatch", $"{incident.Id}: {string.Join(", ", units.Select(u => $"{u.UnitId} ({u.DistanceM:0} m, {u.TravelSeconds:0} s)"))}", building.Id);
                ctx.Note(first.ArrivedAt - ctx.Start, "arrival", $"{incident.Id}: first unit {first.UnitId} on scene after {first.TravelSeconds:0} s travel" + (met ? "" : $" (target {drill.TargetTravelSeconds:0} s missed)"), building.Id);
                ctx.Note(resolved!.Value - ctx.Start, "resolved", $"{incident.Id} resolved", building.Id);
            }
        }

        await MoveUntilAsync(ctx, moving, ctx.Definition.Duration, cancellationToken);
        ctx.Result.Drill = DrillScoring.Score(drill, results);
        ctx.Result.Figures["shareMeetingTarget"] = ctx.Result.Drill.ShareMeetingTarget;
        ctx.Note(ctx.Elapsed, "end", $"{ctx.Result.Drill.MetTarget} of {results.Count} incidents met the {drill.TargetTravelSeconds:0} s travel target ({ctx.Result.Drill.ShareMeetingTarget:P0}; target {drill.TargetShare:P0})");
    }

    private static EntitySummary? Nearest(TwinDirectory directory, string kind, ProjectedPoint scene, UtmProjection projection,
        Dictionary<string, DateTimeOffset> busyUntil, DateTimeOffset at, List<DrillUnitResult> alreadySent)
    {
        IEnumerable<EntitySummary> candidates = kind == "responder"
            ? directory.OfType(EntityType.Responder)
            : directory.OfType(EntityType.Vehicle).Where(v => SummaryFields.IsKind(v, kind));
        return candidates
            .Where(u => (!busyUntil.TryGetValue(u.Id, out DateTimeOffset until) || until <= at) && alreadySent.All(s => s.UnitId != u.Id))
            .OrderBy(u => projection.Forward(u.Position).DistanceTo(scene))
            .ThenBy(u => SummaryFields.IdNumber(u.Id))
            .FirstOrDefault();
    }

    private static async Task MoveUntilAsync(RunContext ctx, List<Movement> moving, TimeSpan until, CancellationToken cancellationToken)
    {
        while (ctx.Elapsed < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan next = ctx.Elapsed + _moveEvery;
            if (next > until)
            {
                next = until;
            }

            await ctx.AdvanceToAsync(next, cancellationToken);
            DateTimeOffset now = ctx.Fork.Clock.GetUtcNow();
            foreach (Movement m in moving.ToArray())
            {
                await m.StepAsync(ctx, now);
                if (m.Done)
                {
                    moving.Remove(m);
                }
            }
        }
    }

    private sealed class Movement(EntitySummary unit, string kind, string incidentId, GeoPoint from, GeoPoint to, DateTimeOffset departs, DateTimeOffset arrives, DateTimeOffset freeAt)
    {
        private bool _dispatched;

        public bool Done { get; private set; }

        public async Task StepAsync(RunContext ctx, DateTimeOffset now)
        {
            if (now < departs || kind == "responder")
            {
                // Responders carry terminals, not trackers in the twin; their movement is computed, not reported.
                Done = kind == "responder" && now >= freeAt;
                return;
            }

            IVehicleGrain vehicle = ctx.Fork.Silo.GrainFactory.GetGrain<IVehicleGrain>(unit.Id);
            if (!_dispatched)
            {
                _dispatched = true;
                await vehicle.SetDispatchAsync(incidentId, "dispatched");
            }

            double f = Math.Clamp((now - departs) / (arrives - departs > TimeSpan.Zero ? arrives - departs : TimeSpan.FromSeconds(1)), 0, 1);
            var position = new GeoPoint(from.Lon + ((to.Lon - from.Lon) * f), from.Lat + ((to.Lat - from.Lat) * f));
            await vehicle.RecordPositionAsync(new VehiclePosition(position, now, f < 1 ? null : 0, null, null));
            if (now >= freeAt)
            {
                await vehicle.SetDispatchAsync(null, "available");
                Done = true;
            }
        }
    }
}
