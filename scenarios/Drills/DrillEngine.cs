using System.Text.Json.Nodes;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Scenarios.Runs;
using CityTwin.Silo;

namespace CityTwin.Scenarios.Drills;

/// <summary>
/// Drills: each incident's sensor reading is injected at its time so the fork's rules raise the alert and the fork's case
/// loop turns it into a case and dispatches the case's units (a call-in without a sensor is reported to the case loop as
/// a hotline case). The drill never chooses units of its own: it adopts the units the case dispatched, which leave
/// <c>dispatchDelay</c> after the alert (the case is accepted then), move towards the scene at their set speed in
/// simulated time (straight-line distance times a network factor), arrive one by one, and are released by resolving the
/// case <c>onScene</c> after the first arrival (or at the last arrival, when later). The fork's vehicle and responder
/// grains follow each trip (status en-route, on-scene, available; a position every 30 simulated seconds and at departure
/// and arrival), and the result's <c>unitTracks</c> layer draws each trip. Times are exact, not rounded to the clock's ticks.
/// </summary>
internal static class DrillEngine
{
    // How often moving vehicles report a position to their grains (simulated).
    private static readonly TimeSpan _moveEvery = TimeSpan.FromSeconds(30);

    private const string Dispatcher = "drill:dispatcher";

    public static async Task RunAsync(RunContext ctx, CancellationToken cancellationToken)
    {
        DrillSpec drill = ctx.Definition.Drill!;
        TwinDirectory directory = ctx.Fork.Directory;
        UtmProjection projection = directory.Projection;
        AlertBus alerts = ctx.Fork.Silo.Alerts;
        var active = new List<IncidentRun>();
        var trips = new List<Movement>();
        var results = new List<DrillIncidentResult>();
        ctx.Note(TimeSpan.Zero, "start", $"{ctx.Definition.Title}: {drill.Incidents.Count} incidents; target first-unit travel {drill.TargetTravelSeconds:0} s for {drill.TargetShare:P0}");

        foreach (DrillIncidentSpec incident in drill.Incidents.OrderBy(i => i.At))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await MoveUntilAsync(ctx, active, incident.At, cancellationToken);
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

            // Let the fork's rules and case loop react in full: the alert, its case and the case's dispatch.
            await ctx.Fork.Silo.WaitForQuiescenceAsync(cancellationToken);

            // The rule's alert carries the fork's time; without one (no sensor, or no rule) the call-in is the alert.
            Alert? alert = alerts.Published > before
                ? alerts.Recent(a => a.BuildingId == building.Id || a.EntityId == sensor?.Id || a.EntityId == building.Id, 1).FirstOrDefault()
                : null;
            DateTimeOffset alerted = alert?.At ?? detected;
            CaseView? dispatchedCase = await CaseOfAsync(ctx, incident, building, alert, cancellationToken);
            var units = new List<DrillUnitResult>();
            var missing = new List<string>();
            string? noUnit = null;
            IncidentRun? run = null;
            DateTimeOffset dispatched = alerted + drill.DispatchDelay;
            if (dispatchedCase is null)
            {
                noUnit = $"no case category fits '{incident.Category}', so the case loop sent nothing";
                ctx.Note(incident.At, "no-case", $"{incident.Id}: {noUnit}", building.Id, "warning");
            }
            else if (dispatchedCase.Status != "dispatched" || dispatchedCase.Units.Length == 0)
            {
                string why = dispatchedCase.Units.Length == 0 ? "it has no free unit" : $"it is already {dispatchedCase.Status}";
                noUnit = $"case {dispatchedCase.Id} sent no unit ({why})";
                ctx.Note(incident.At, "no-unit", $"{incident.Id}: case {dispatchedCase.Id} sent no unit to the drill ({why})", building.Id, "warning");
            }
            else
            {
                // The units leave after the drill's dispatch delay, or when the case dispatched them if that was later.
                if (dispatchedCase.StageTimes.TryGetValue("dispatched", out DateTimeOffset caseDispatched) && caseDispatched > dispatched)
                {
                    dispatched = caseDispatched;
                }

                ProjectedPoint scene = projection.Forward(building.Position);
                run = new IncidentRun(dispatchedCase.Id, incident.Id, dispatched);
                foreach (CaseUnit caseUnit in dispatchedCase.Units)
                {
                    if (directory.Get(caseUnit.Id) is not { } unit)
                    {
                        continue;
                    }

                    string kind = KindOf(unit, incident.Units);
                    double distance = projection.Forward(unit.Position).DistanceTo(scene) * drill.NetworkFactor;
                    double speedKmh = unit.Type == EntityType.Responder ? drill.ResponderSpeedKmh : drill.VehicleSpeedKmh;
                    double travel = distance / (speedKmh / 3.6);
                    DateTimeOffset arrived = dispatched + TimeSpan.FromSeconds(travel);
                    units.Add(new DrillUnitResult(unit.Id, kind, Math.Round(distance, 1), Math.Round(travel, 1), dispatched, arrived));
                    var trip = new Movement(unit, kind, dispatchedCase.Id, incident.Id, unit.Position, building.Position, dispatched, arrived);
                    run.Trips.Add(trip);
                    trips.Add(trip);
                }

                foreach (string wanted in incident.Units.Where(k => !units.Any(u => SummaryFields.Normalize(u.Kind) == SummaryFields.Normalize(k))))
                {
                    missing.Add(wanted);
                    ctx.Note(incident.At, "no-unit", $"{incident.Id}: the drill asks for a {wanted}, but case {dispatchedCase.Id} did not dispatch one", building.Id, "warning");
                }
            }

            DrillUnitResult? first = units.MinBy(u => u.ArrivedAt);
            DateTimeOffset? resolved = null;
            if (run is not null && first is not null)
            {
                DateTimeOffset last = units.Max(u => u.ArrivedAt);
                resolved = first.ArrivedAt + drill.OnScene > last ? first.ArrivedAt + drill.OnScene : last;
                run.Plan(last, resolved.Value);
                active.Add(run);
            }

            // An incident missing a unit it needs has not met its target, however fast the units that did come travelled.
            string? missedBecause =
                first is null ? noUnit ?? "no unit arrived"
                : missing.Count > 0 ? $"the case did not send the {string.Join(", ", missing)} the incident needs"
                : first.TravelSeconds > drill.TargetTravelSeconds ? $"first unit travel {first.TravelSeconds:0} s exceeds the {drill.TargetTravelSeconds:0} s target"
                : null;
            bool met = missedBecause is null;
            results.Add(new DrillIncidentResult(
                incident.Id, incident.Category, building.Id, detected, alerted, alert is null ? "call-in" : $"rule: {alert.Kind}",
                units.Count == 0 ? null : dispatched, first?.ArrivedAt, resolved, (alerted - detected).TotalSeconds,
                units.Count == 0 ? null : (dispatched - alerted).TotalSeconds, first?.TravelSeconds,
                first is null ? null : Math.Round((first.ArrivedAt - detected).TotalSeconds, 1), met, units)
            {
                CaseId = dispatchedCase?.Id,
                MissingUnits = missing,
                MissedBecause = missedBecause,
            });
            if (first is not null)
            {
                ctx.Note(dispatched - ctx.Start, "dispatch", $"{incident.Id}: case {dispatchedCase!.Id} sent {string.Join(", ", units.Select(u => $"{u.UnitId} ({u.DistanceM:0} m, {u.TravelSeconds:0} s)"))}", building.Id);
                ctx.Note(first.ArrivedAt - ctx.Start, "arrival", $"{incident.Id}: first unit {first.UnitId} on scene after {first.TravelSeconds:0} s travel" + (met ? "" : $" (target missed: {missedBecause})"), building.Id);
                ctx.Note(resolved!.Value - ctx.Start, "resolved", $"{incident.Id} resolved", building.Id);
            }
        }

        await MoveUntilAsync(ctx, active, ctx.Definition.Duration, cancellationToken);
        ctx.Result.Layers["unitTracks"] = Tracks(trips);
        ctx.Result.Drill = DrillScoring.Score(drill, results);
        ctx.Result.Figures["shareMeetingTarget"] = ctx.Result.Drill.ShareMeetingTarget;
        ctx.Note(ctx.Elapsed, "end", $"{ctx.Result.Drill.MetTarget} of {results.Count} incidents met their target (first unit within {drill.TargetTravelSeconds:0} s, every unit asked for sent; {ctx.Result.Drill.ShareMeetingTarget:P0}; target {drill.TargetShare:P0})");
    }

    /// <summary>
    /// The case the incident's alert opened or joined (the intake de-duplicates, so asking again names the same case), or
    /// for a call-in a hotline case the drill's dispatcher reports and verifies; in both the case loop has dispatched.
    /// </summary>
    private static async Task<CaseView?> CaseOfAsync(RunContext ctx, DrillIncidentSpec incident, EntitySummary building, Alert? alert, CancellationToken cancellationToken)
    {
        IGrainFactory grains = ctx.Fork.Silo.GrainFactory;
        if (alert is not null && await ctx.Fork.Silo.Intake.OnAlertAsync(alert) is { } fromAlert)
        {
            await ctx.Fork.Silo.WaitForQuiescenceAsync(cancellationToken);
            return await grains.GetGrain<ICaseGrain>(fromAlert).GetAsync();
        }

        CaseCatalogue catalogue = ctx.Fork.Silo.Catalogue;
        if ((catalogue.Find(incident.Category) ?? catalogue.ForAlertKind(incident.SensorKind)) is not { } category)
        {
            return null;
        }

        ICaseGrain call = grains.GetGrain<ICaseGrain>(CaseIds.New(ctx.Fork.Clock.GetUtcNow()));
        await call.ReportAsync(new CaseReport(CaseSource.Hotline, category.Id, building.Position, $"Drill incident {incident.Id} ({incident.Category}) reported by phone.")
        {
            Reporter = Dispatcher,
            BuildingId = building.Id,
        });
        CaseTransitionResult verified = await call.TransitionAsync(new CaseTransitionRequest(CaseAction.Verify, Dispatcher, "Drill call-in."));
        if (verified.Case is { Status: "verified" })
        {
            // A category without automatic dispatch: the dispatcher asks for its plan.
            await call.TransitionAsync(new CaseTransitionRequest(CaseAction.Dispatch, Dispatcher, "Drill call-in."));
        }

        await ctx.Fork.Silo.WaitForQuiescenceAsync(cancellationToken);
        return await call.GetAsync();
    }

    // The drill's name for a unit's kind: the requested kind it is, else its own kind in kebab case.
    private static string KindOf(EntitySummary unit, IReadOnlyList<string> requested)
    {
        if (unit.Type == EntityType.Responder)
        {
            return "responder";
        }

        if (requested.FirstOrDefault(k => SummaryFields.IsKind(unit, k)) is { } asked)
        {
            return asked;
        }

        string kind = unit.Kind ?? "vehicle";
        var kebab = new System.Text.StringBuilder(kind.Length + 4);
        foreach (char c in kind)
        {
            if (char.IsUpper(c) && kebab.Length > 0)
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(c));
        }

        return kebab.ToString();
    }

    // Simulated time moves in steps of at most 30 s, stopping exactly at every departure, arrival and release, so the
    // twin shows each unit's status change at its own time.
    private static async Task MoveUntilAsync(RunContext ctx, List<IncidentRun> active, TimeSpan until, CancellationToken cancellationToken)
    {
        while (ctx.Elapsed < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset now = ctx.Fork.Clock.GetUtcNow();
            TimeSpan next = ctx.Elapsed + _moveEvery;
            foreach (IncidentRun run in active)
            {
                if (run.NextMilestone(now) is { } milestone && milestone - ctx.Start < next)
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
            foreach (IncidentRun run in active.ToArray())
            {
                await run.StepAsync(ctx, now);
                if (run.Done)
                {
                    active.Remove(run);
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

    /// <summary>
    /// One incident's case as the drill plays it: accepted when its units leave (the case loop sets them en route), in
    /// progress once all are on scene, resolved at the planned time, which releases every unit of the case at once.
    /// </summary>
    private sealed class IncidentRun(string caseId, string incidentId, DateTimeOffset departs)
    {
        private DateTimeOffset _allArrived;
        private DateTimeOffset _resolves;
        private bool _accepted;
        private bool _started;

        /// <summary>The trips of the case's units.</summary>
        public List<Movement> Trips { get; } = [];

        public bool Done { get; private set; }

        /// <summary>Sets when the last unit arrives and when the case is resolved.</summary>
        public void Plan(DateTimeOffset allArrived, DateTimeOffset resolves)
        {
            _allArrived = allArrived;
            _resolves = resolves;
        }

        /// <summary>The next departure, arrival or resolution after <paramref name="now"/>, or null when none is left.</summary>
        public DateTimeOffset? NextMilestone(DateTimeOffset now)
        {
            DateTimeOffset? next = null;
            foreach (DateTimeOffset t in Trips.Select(m => m.Arrives).Append(departs).Append(_allArrived).Append(_resolves))
            {
                if (t > now && (next is null || t < next))
                {
                    next = t;
                }
            }

            return next;
        }

        public async Task StepAsync(RunContext ctx, DateTimeOffset now)
        {
            if (now < departs)
            {
                return;
            }

            ICaseGrain @case = ctx.Fork.Silo.GrainFactory.GetGrain<ICaseGrain>(caseId);
            if (!_accepted)
            {
                _accepted = true;
                await TransitionAsync(ctx, @case, CaseAction.Accept, Trips[0].UnitId, "Drill units leave for the scene.");
            }

            foreach (Movement trip in Trips)
            {
                await trip.StepAsync(ctx, now);
            }

            if (!_started && now >= _allArrived)
            {
                _started = true;
                await TransitionAsync(ctx, @case, CaseAction.Start, Trips[0].UnitId, "All drill units on scene.");
            }

            if (now >= _resolves)
            {
                // Resolving the case releases its units (responders' tasks end, vehicles are available where they stand).
                await TransitionAsync(ctx, @case, CaseAction.Resolve, Trips[0].UnitId, $"Drill incident {incidentId} resolved.", $"drill:{incidentId}/after.jpg");
                foreach (Movement trip in Trips)
                {
                    trip.Release(now);
                }

                Done = true;
            }
        }

        private async Task TransitionAsync(RunContext ctx, ICaseGrain @case, CaseAction action, string actor, string note, string? evidence = null)
        {
            CaseTransitionResult result = await @case.TransitionAsync(new CaseTransitionRequest(action, actor, note) { Evidence = evidence is null ? [] : [evidence] });
            if (result.Outcome != CaseOutcome.Ok)
            {
                ctx.Note(ctx.Elapsed, "case", $"{incidentId}: case {caseId} refused '{CaseNames.Of(action)}': {result.Error}", caseId, "warning");
            }
        }
    }

    /// <summary>One unit's trip to one incident, played on its grain as simulated time passes.</summary>
    private sealed class Movement(EntitySummary unit, string kind, string caseId, string incidentId, GeoPoint from, GeoPoint to,
        DateTimeOffset departs, DateTimeOffset arrives)
    {
        private string? _status;
        private DateTimeOffset? _freeAt;

        public string UnitId => unit.Id;

        public DateTimeOffset Arrives => arrives;

        /// <summary>The positions reported to the grain, with their simulated times.</summary>
        public List<(DateTimeOffset At, GeoPoint Position)> Fixes { get; } = [];

        public async Task StepAsync(RunContext ctx, DateTimeOffset now)
        {
            if (now < departs || _freeAt is not null)
            {
                return;
            }

            double f = arrives > departs ? Math.Clamp((now - departs) / (arrives - departs), 0, 1) : 1;
            var position = new GeoPoint(from.Lon + ((to.Lon - from.Lon) * f), from.Lat + ((to.Lat - from.Lat) * f));
            string status = f < 1 ? "en-route" : "on-scene";
            IGrainFactory grains = ctx.Fork.Silo.GrainFactory;

            // The case set every unit en route when it was accepted; arriving is each unit's own.
            if (kind == "responder")
            {
                IResponderGrain responder = grains.GetGrain<IResponderGrain>(unit.Id);
                await MoveAsync(now, position, p => responder.MoveAsync(p, now));
                if (status != _status && status == "on-scene")
                {
                    await responder.UpdateTaskAsync(caseId, status);
                }
            }
            else
            {
                // A vehicle's tracker reports the position (its rules run on it: geofences, speed).
                IVehicleGrain vehicle = grains.GetGrain<IVehicleGrain>(unit.Id);
                if (status != _status && status == "on-scene")
                {
                    await vehicle.SetDispatchAsync(caseId, status);
                }

                await MoveAsync(now, position, p => vehicle.RecordPositionAsync(new VehiclePosition(p, now, f < 1 ? null : 0, null, null)));
            }

            _status = status;
        }

        /// <summary>Notes that the case released the unit at <paramref name="now"/>.</summary>
        public void Release(DateTimeOffset now)
        {
            _freeAt = now;
            _status = "available";
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
                    ["caseId"] = caseId,
                    ["departedAt"] = departs,
                    ["arrivedAt"] = arrives,
                    ["freeAt"] = _freeAt,
                    ["status"] = _status,
                    ["times"] = times,
                },
            };
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
