using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Rules;
using CityTwin.Silo.Storage;
using CityTwin.Silo.WriteBehind;
using Orleans;
using Orleans.Runtime;

namespace CityTwin.Grains.Twin;

/// <summary>
/// A vehicle: position, dispatch status and a bounded trajectory. Muck trucks also track the geofences they are in,
/// raise enter/exit alerts, remember the site they last left, and raise a violation alert carrying the trip from that
/// site when seen uncovered or overloaded at a checkpoint (once per checkpoint visit).
/// </summary>
/// <remarks>
/// Positions are not written to storage one by one: the event log already holds them durably, and
/// <see cref="WriteBehindGrain{TState}"/> writes the changed state on deactivation, checkpoint and shutdown. Definition and dispatch changes are written at once.
/// </remarks>
[GrainType("vehicle")]
public sealed class VehicleGrain(
    [PersistentState("entity", SiloStore.StorageName)] IPersistentState<VehicleState> entity,
    TwinDirectory directory,
    AlertBus alerts,
    GeofenceRegistry geofences,
    MuckTruckOptions options) : WriteBehindGrain<VehicleState>(entity), IVehicleGrain
{
    private bool _lookedForGeofences;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        await base.OnActivateAsync(cancellationToken);

        // After the stored fingerprint was taken: a ring trimmed to a smaller capacity counts as a change to write.
        State.NormalizeTrack(options.TrajectoryCapacity);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(VehicleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Id != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Definition id '{definition.Id}' does not match grain key '{this.GetPrimaryKeyString()}'.", nameof(definition));
        }

        ValidatePoint(definition.Position, nameof(definition));
        VehicleState s = State;
        if (!s.IsInitialized)
        {
            s.Initialize(definition, TimeProvider.GetUtcNow());
        }

        s.Definition = definition;
        await WriteStateAsync();
        directory.Upsert(s.ToSummary());
    }

    /// <inheritdoc />
    public Task RecordPositionAsync(VehiclePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return RecordPositionsAsync([position]);
    }

    /// <inheritdoc />
    public async Task RecordPositionsAsync(IReadOnlyList<VehiclePosition> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        VehicleDefinition definition = RequireDefinition();

        // Validate the whole batch first, so a bad fix rejects the call without applying part of it.
        foreach (VehiclePosition p in positions)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(positions));
            ValidatePoint(p.Position, nameof(positions));
        }

        if (definition.Kind == VehicleKind.MuckTruck && !geofences.IsLoaded && !_lookedForGeofences)
        {
            await LoadGeofencesFromDistrictAsync();
        }

        List<Alert>? raised = null;
        bool changed = false;
        foreach (VehiclePosition p in positions)
        {
            if (State.Applied.TryApply(p.LogSeq, p.LogLow))
            {
                changed |= Apply(definition, p, ref raised);
            }
        }

        if (!changed)
        {
            return;
        }

        directory.Upsert(State.ToSummary());
        if (raised is not null)
        {
            foreach (Alert alert in raised)
            {
                await alerts.PublishAsync(alert);
            }
        }
    }

    /// <inheritdoc />
    public async Task SetDispatchAsync(string? caseId, string status)
    {
        RequireDefinition();
        VehicleState s = State;
        s.CaseId = string.IsNullOrWhiteSpace(caseId) ? null : caseId;
        s.Status = !string.IsNullOrWhiteSpace(status) ? status.Trim() : s.CaseId is null ? "available" : "dispatched";
        s.UpdatedAt = TimeProvider.GetUtcNow();

        // Dispatch is a command, not telemetry: nothing else holds it durably, so it is written at once.
        await WriteStateAsync();
        directory.Upsert(s.ToSummary());
    }

    /// <inheritdoc />
    public async Task<bool> ClaimAsync(string caseId, bool force)
    {
        VehicleState s = State;
        if (!s.IsInitialized || (!force && s.CaseId is not null && s.CaseId != caseId))
        {
            return false;
        }

        await SetDispatchAsync(caseId, "dispatched");
        return true;
    }

    /// <inheritdoc />
    public Task<VehiclePosition[]?> GetTrajectoryAsync(int limit)
    {
        VehicleState s = State;
        return Task.FromResult(s.IsInitialized ? s.Latest(Math.Clamp(limit, 0, options.TrajectoryCapacity)) : null);
    }

    /// <inheritdoc />
    public Task<EntityDetails?> GetDetailsAsync()
    {
        VehicleState s = State;
        if (!s.IsInitialized)
        {
            return Task.FromResult<EntityDetails?>(null);
        }

        // The trajectory is served by its own endpoint; details carry its extent rather than up to 500 fixes.
        object view = new
        {
            definition = s.Definition,
            status = s.Status,
            caseId = s.CaseId,
            position = s.Position,
            lastFixAt = s.LastFixAt,
            speedKmh = s.SpeedKmh,
            covered = s.Covered,
            loadTonnes = s.LoadTonnes,
            geofences = s.Geofences.ToArray(),
            lastSite = s.LastSiteId is null ? null : new { id = s.LastSiteId, leftAt = s.LastSiteExitAt },
            trajectory = new { kept = s.Track.Count, recorded = s.Recorded, capacity = options.TrajectoryCapacity },
        };
        return Task.FromResult<EntityDetails?>(EntityDetails.Of(s.ToSummary(), view));
    }

    private static void ValidatePoint(GeoPoint p, string parameter)
    {
        if (!double.IsFinite(p.Lon) || !double.IsFinite(p.Lat) || p.Lon is < -180 or > 180 || p.Lat is < -90 or > 90)
        {
            throw new ArgumentException($"Position [{p.Lon}, {p.Lat}] is not a WGS84 lon/lat (lon -180..180, lat -90..90).", parameter);
        }
    }

    /// <summary>
    /// A restored server or a fork has the geofences only in the district meta data; the first muck truck to need them
    /// loads them, so supervision does not depend on every start path remembering to. Asked once per activation.
    /// </summary>
    private async Task LoadGeofencesFromDistrictAsync()
    {
        _lookedForGeofences = true;
        DistrictMeta? meta = await GrainFactory.GetGrain<ITwinMetaGrain>("current").GetAsync();
        if (meta is not null && !geofences.IsLoaded)
        {
            geofences.Load(meta.Geofences, directory.IsInitialized ? directory.Projection : new UtmProjection(meta.UtmZone, meta.UtmNorth));
        }
    }

    private VehicleDefinition RequireDefinition() =>
        State.Definition ?? throw new InvalidOperationException($"Vehicle '{this.GetPrimaryKeyString()}' was never initialised.");

    /// <summary>Applies one fix; false when it is older than (or a repeat of) the latest applied fix and was ignored.</summary>
    private bool Apply(VehicleDefinition definition, VehiclePosition reported, ref List<Alert>? raised)
    {
        VehicleState s = State;
        if (s.LastFixAt is { } last && (reported.At < last || (reported.At == last && reported.Position == s.Position)))
        {
            // Late or replayed fixes would move the vehicle backwards in time; the event log still holds them.
            return false;
        }

        // Trackers often report the flags only when they change: a fix without them keeps the last known values.
        VehiclePosition fix = reported with { Covered = reported.Covered ?? s.Covered, LoadTonnes = reported.LoadTonnes ?? s.LoadTonnes };
        DateTimeOffset? previousAt = s.LastFixAt;
        long sequence = s.AppendFix(fix, options.TrajectoryCapacity);
        s.Position = fix.Position;
        s.LastFixAt = fix.At;
        s.UpdatedAt = fix.At;
        s.SpeedKmh = fix.SpeedKmh;
        s.Covered = fix.Covered;
        s.LoadTonnes = fix.LoadTonnes;
        if (definition.Kind == VehicleKind.MuckTruck && geofences.IsLoaded)
        {
            Supervise(definition, fix, sequence, previousAt, ref raised);
        }

        return true;
    }

    private void Supervise(VehicleDefinition definition, VehiclePosition fix, long sequence, DateTimeOffset? previousAt, ref List<Alert>? raised)
    {
        VehicleState s = State;
        IReadOnlyList<GeofenceDefinition> inside = geofences.Containing(fix.Position);
        foreach (string id in s.Geofences)
        {
            if (inside.Any(f => f.Id == id))
            {
                continue;
            }

            s.FlaggedCheckpoints.Remove(id);
            if (geofences.Get(id) is not { } fence)
            {
                // The district's geofences were reloaded without this one: nothing to report against.
                continue;
            }

            (raised ??= []).Add(MuckTruckRules.GeofenceAlert(definition, fix, fence, entered: false));
            if (fence.Kind == GeofenceKind.ConstructionSite)
            {
                // The previous fix was the last one inside the site: the trip starts there.
                s.LastSiteId = id;
                s.LastSiteExitSequence = sequence - 1;
                s.LastSiteExitAt = previousAt;
            }
        }

        foreach (GeofenceDefinition fence in inside)
        {
            if (!s.Geofences.Contains(fence.Id))
            {
                (raised ??= []).Add(MuckTruckRules.GeofenceAlert(definition, fix, fence, entered: true));
            }
        }

        s.Geofences = inside.Select(f => f.Id).ToList();
        foreach (GeofenceDefinition checkpoint in inside)
        {
            if (checkpoint.Kind != GeofenceKind.Checkpoint || s.FlaggedCheckpoints.Contains(checkpoint.Id))
            {
                continue;
            }

            IReadOnlyList<string> reasons = MuckTruckRules.Violations(fix, options);
            if (reasons.Count == 0)
            {
                continue;
            }

            s.FlaggedCheckpoints.Add(checkpoint.Id);
            (raised ??= []).Add(ViolationAlert(definition, fix, checkpoint, reasons));
        }
    }

    private Alert ViolationAlert(VehicleDefinition definition, VehiclePosition fix, GeofenceDefinition checkpoint, IReadOnlyList<string> reasons)
    {
        VehicleState s = State;
        long? exit = s.LastSiteExitSequence;
        bool fromSiteExit = exit is { } e && e >= s.OldestSequence;
        VehiclePosition[] trip = s.Range(exit ?? s.OldestSequence);
        string? siteId = s.LastSiteId ?? definition.AssignedSiteId;
        return MuckTruckRules.ViolationAlert(
            definition, fix, checkpoint, reasons, options, siteId, siteId is null ? null : geofences.Get(siteId),
            s.LastSiteId is null ? null : s.LastSiteExitAt, trip, fromSiteExit);
    }
}
