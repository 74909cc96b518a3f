using System.Text.Json.Nodes;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Scenarios.Drills;

/// <summary>
/// Drills: each incident's sensor reading is injected at its time so the fork's rules raise the alert; after the dispatch
/// delay the nearest free unit of each requested kind is sent (straight-line distance times a network factor, as the
/// case loop estimates travel), moves towards the scene at its set speed in simulated time, arrives, works on scene, and
/// is free again. The fork's vehicle and responder grains follow it (status en-route, on-scene, available; a position
/// every 30 simulated seconds and at departure and arrival), and the result's <c>unitTracks</c> layer draws each trip.
/// Times are exact, not rounded to the clock's ticks.
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
        var trips = new List<Movement>();
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
                var trip = new Movement(unit, kind, incident.Id, incident.Category, unit.Position, building.Position, dispatched, arrived, arrived + drill.OnScene);
                moving.Add(trip);
                trips.Add(trip);
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
        ctx.Result.Layers["unitTracks"] = Tracks(trips);
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

    // Simulated time moves in steps of at most 30 s, stopping exactly at every departure, arrival and release, so the
    // twin shows each unit's status change at its own time.
    private static async Task MoveUntilAsync(RunContext ctx, List<Movement> moving, TimeSpan until, CancellationToken cancellationToken)
    {
        while (ctx.Elapsed < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset now = ctx.Fork.Clock.GetUtcNow();
            TimeSpan next = ctx.Elapsed + _moveEvery;
            foreach (Movement m in moving)
            {
                if (m.NextMilestone(now) is { } milestone && milestone - ctx.Start < next)
                {
                    next = milestone - ctx.Start;
                }
            }

            if (next > until)
            {
                next = until;
            }

            await ctx.AdvanceToAsync(next, cancellationToken);
            now = ctx.Fork.Clock.GetUtcNow();
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

    private static JsonObject Tracks(List<Movement> trips)
    {
        JsonObject layer = GeoJsonLayers.Collection(out JsonArray features);
        foreach (Movement trip in trips)
        {
            if (trip.Fixes.Count > 0)
            {
                features.Add(trip.ToFeature());
            }
        }

        return layer;
    }

    /// <summary>One unit's trip to one incident, played on its grain as simulated time passes.</summary>
    private sealed class Movement(EntitySummary unit, string kind, string incidentId, string category, GeoPoint from, GeoPoint to,
        DateTimeOffset departs, DateTimeOffset arrives, DateTimeOffset freeAt)
    {
        private string? _status;

        public bool Done { get; private set; }

        /// <summary>The positions reported to the grain, with their simulated times.</summary>
        public List<(DateTimeOffset At, GeoPoint Position)> Fixes { get; } = [];

        /// <summary>The next departure, arrival or release after <paramref name="now"/>, or null when none is left.</summary>
        public DateTimeOffset? NextMilestone(DateTimeOffset now) =>
            now < departs ? departs : now < arrives ? arrives : now < freeAt ? freeAt : null;

        public async Task StepAsync(RunContext ctx, DateTimeOffset now)
        {
            if (now < departs)
            {
                return;
            }

            double f = arrives > departs ? Math.Clamp((now - departs) / (arrives - departs), 0, 1) : 1;
            var position = new GeoPoint(from.Lon + ((to.Lon - from.Lon) * f), from.Lat + ((to.Lat - from.Lat) * f));
            string status = now >= freeAt ? "available" : f < 1 ? "en-route" : "on-scene";
            if (kind == "responder")
            {
                await StepResponderAsync(ctx.Fork.Silo.GrainFactory.GetGrain<IResponderGrain>(unit.Id), now, position, status);
            }
            else
            {
                await StepVehicleAsync(ctx.Fork.Silo.GrainFactory.GetGrain<IVehicleGrain>(unit.Id), now, position, f, status);
            }

            _status = status;
            Done = status == "available";
        }

        public JsonObject ToFeature()
        {
            var coordinates = new JsonArray();
            var times = new JsonArray();
            foreach ((DateTimeOffset at, GeoPoint p) in Fixes)
            {
                GeoPoint g = p.Round(7);
                coordinates.Add(new JsonArray(g.Lon, g.Lat));
                times.Add(at);
            }

            return new JsonObject
            {
                ["type"] = "Feature",
                ["id"] = $"{incidentId}/{unit.Id}",
                ["geometry"] = Fixes.Count == 1
                    ? new JsonObject { ["type"] = "Point", ["coordinates"] = coordinates[0]!.DeepClone() }
                    : new JsonObject { ["type"] = "LineString", ["coordinates"] = coordinates },
                ["properties"] = new JsonObject
                {
                    ["unitId"] = unit.Id,
                    ["kind"] = kind,
                    ["incidentId"] = incidentId,
                    ["departedAt"] = departs,
                    ["arrivedAt"] = arrives,
                    ["freeAt"] = freeAt,
                    ["status"] = _status,
                    ["times"] = times,
                },
            };
        }

        // A responder's handheld reports the position; the task follows the trip (en-route, on-scene) and ends with it.
        private async Task StepResponderAsync(IResponderGrain responder, DateTimeOffset now, GeoPoint position, string status)
        {
            if (_status is null)
            {
                await responder.AssignAsync(incidentId, category, force: true);
            }

            if (_status != "on-scene" || status != "available")
            {
                await MoveAsync(now, position, p => responder.MoveAsync(p, now));
            }

            if (status == "available")
            {
                await responder.ReleaseAsync(incidentId);
            }
            else if (status != _status)
            {
                await responder.UpdateTaskAsync(incidentId, status);
            }
        }

        // A vehicle's tracker reports the position (its rules run on it: geofences, speed); dispatch status follows the trip.
        private async Task StepVehicleAsync(IVehicleGrain vehicle, DateTimeOffset now, GeoPoint position, double f, string status)
        {
            if (status != _status && status != "available")
            {
                await vehicle.SetDispatchAsync(incidentId, status);
            }

            if (_status != "on-scene" || status != "available")
            {
                await MoveAsync(now, position, p => vehicle.RecordPositionAsync(new VehiclePosition(p, now, f < 1 ? null : 0, null, null)));
            }

            if (status == "available")
            {
                await vehicle.SetDispatchAsync(null, "available");
            }
        }

        private async Task MoveAsync(DateTimeOffset now, GeoPoint position, Func<GeoPoint, Task> report)
        {
            if (Fixes.Count > 0 && Fixes[^1].Position == position)
            {
                return;
            }

            await report(position);
            Fixes.Add((now, position));
        }
    }
}
