using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Rules;

/// <summary>
/// Muck-truck supervision rules: what counts as a violation at a checkpoint, and the alerts for geofence crossings and
/// violations. Pure functions; the vehicle grain decides when they apply (once per checkpoint visit).
/// </summary>
/// <remarks>
/// Geofence crossings are published as alerts with <see cref="AlertSeverity.Info"/> so the operations map sees trucks
/// reach and leave sites; case intake should open cases for <see cref="ViolationKind"/> only.
/// </remarks>
public static class MuckTruckRules
{
    /// <summary>Alert kind of a truck entering a geofence.</summary>
    public const string GeofenceEnterKind = "geofence-enter";

    /// <summary>Alert kind of a truck leaving a geofence.</summary>
    public const string GeofenceExitKind = "geofence-exit";

    /// <summary>Alert kind of an uncovered or overloaded truck seen at a checkpoint.</summary>
    public const string ViolationKind = "muck-truck-violation";

    /// <summary>Violation reason: the load was not covered.</summary>
    public const string Uncovered = "uncovered";

    /// <summary>Violation reason: the load exceeded <see cref="MuckTruckOptions.MaxLoadTonnes"/>.</summary>
    public const string Overloaded = "overloaded";

    /// <summary>
    /// Why <paramref name="fix"/> breaks the rules, if it does: uncovered (unless the truck reports itself empty, as an
    /// empty body spills nothing) and/or overloaded. Empty when the truck complies or did not report the flags.
    /// </summary>
    public static IReadOnlyList<string> Violations(VehiclePosition fix, MuckTruckOptions options)
    {
        ArgumentNullException.ThrowIfNull(fix);
        ArgumentNullException.ThrowIfNull(options);
        List<string>? reasons = null;
        if (fix.Covered == false && fix.LoadTonnes is not <= 0)
        {
            (reasons ??= []).Add(Uncovered);
        }

        if (fix.LoadTonnes > options.MaxLoadTonnes)
        {
            (reasons ??= []).Add(Overloaded);
        }

        return reasons ?? (IReadOnlyList<string>)[];
    }

    /// <summary>The alert for a truck entering or leaving a geofence.</summary>
    public static Alert GeofenceAlert(VehicleDefinition vehicle, VehiclePosition fix, GeofenceDefinition fence, bool entered)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        ArgumentNullException.ThrowIfNull(fix);
        ArgumentNullException.ThrowIfNull(fence);
        string kind = entered ? GeofenceEnterKind : GeofenceExitKind;
        string verb = entered ? "entered" : "left";
        return new Alert(
            AlertId(vehicle.Id, kind, fence.Id, fix.At), "alert", kind, AlertSeverity.Info,
            $"Muck truck {vehicle.Plate} {verb} {Describe(fence.Kind)} {fence.Name}.",
            EntityType.Vehicle, vehicle.Id, fix.Position, fix.At, null, null, null, null, [],
            new Dictionary<string, string>
            {
                ["plate"] = vehicle.Plate,
                ["geofenceId"] = fence.Id,
                ["geofenceKind"] = fence.Kind.ToString(),
                ["geofenceName"] = fence.Name,
            });
    }

    /// <summary>
    /// The alert for a violation at <paramref name="checkpoint"/>, carrying the trip since the truck left its site:
    /// <c>trajectory</c> is a GeoJSON LineString (oldest first) and <c>trajectoryTimes</c> a JSON array of the fix
    /// times. <paramref name="fromSiteExit"/> is false when the trip is incomplete (the site exit is unknown or older
    /// than the kept trajectory); <c>trajectoryFrom</c> then says "oldest-kept".
    /// </summary>
    public static Alert ViolationAlert(
        VehicleDefinition vehicle, VehiclePosition fix, GeofenceDefinition checkpoint, IReadOnlyList<string> reasons, MuckTruckOptions options,
        string? siteId, GeofenceDefinition? site, DateTimeOffset? leftSiteAt, IReadOnlyList<VehiclePosition> trajectory, bool fromSiteExit)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        ArgumentNullException.ThrowIfNull(fix);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trajectory);
        var details = new Dictionary<string, string>
        {
            ["plate"] = vehicle.Plate,
            ["checkpointId"] = checkpoint.Id,
            ["checkpointName"] = checkpoint.Name,
            ["violations"] = string.Join(',', reasons),
            ["maxLoadTonnes"] = options.MaxLoadTonnes.ToString(CultureInfo.InvariantCulture),
            ["trajectory"] = TrajectoryLineString(trajectory),
            ["trajectoryTimes"] = JsonSerializer.Serialize(trajectory.Select(p => p.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))),
            ["trajectoryPoints"] = trajectory.Count.ToString(CultureInfo.InvariantCulture),
            ["trajectoryFrom"] = fromSiteExit ? "site-exit" : "oldest-kept",
        };
        if (fix.Covered is { } covered)
        {
            details["covered"] = covered ? "true" : "false";
        }

        if (fix.LoadTonnes is { } load)
        {
            details["loadTonnes"] = load.ToString(CultureInfo.InvariantCulture);
        }

        if (siteId is not null)
        {
            details["siteId"] = siteId;
        }

        if (site is not null)
        {
            details["siteName"] = site.Name;
        }

        if (leftSiteAt is { } left)
        {
            details["leftSiteAt"] = left.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        var message = new StringBuilder($"Muck truck {vehicle.Plate} at checkpoint {checkpoint.Name}: ");
        message.Append(string.Join(" and ", reasons.Select(r => r == Overloaded
            ? string.Create(CultureInfo.InvariantCulture, $"overloaded ({fix.LoadTonnes:0.#} t, limit {options.MaxLoadTonnes:0.#} t)")
            : "load not covered")));
        if (siteId is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $"; came from site {site?.Name ?? siteId}");
        }

        message.Append('.');
        return new Alert(
            AlertId(vehicle.Id, ViolationKind, checkpoint.Id, fix.At), "alert", ViolationKind, AlertSeverity.Warning, message.ToString(),
            EntityType.Vehicle, vehicle.Id, fix.Position, fix.At, null, null, null, null, [], details);
    }

    /// <summary>
    /// A GeoJSON LineString through the fixes. A single fix is repeated, since a LineString needs two positions and the
    /// evidence should still say where the truck was.
    /// </summary>
    public static string TrajectoryLineString(IReadOnlyList<VehiclePosition> trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        if (trajectory.Count == 0)
        {
            throw new ArgumentException("A trajectory needs at least one position.", nameof(trajectory));
        }

        GeoPoint[] points = trajectory.Count == 1
            ? [trajectory[0].Position, trajectory[0].Position]
            : trajectory.Select(p => p.Position).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            GeoJsonWriter.WriteLineString(writer, points);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Derived from the input (vehicle, fence, fix time), so replaying the event log raises alerts with the same ids.
    private static string AlertId(string vehicleId, string kind, string fenceId, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{vehicleId}:{kind}:{fenceId}:{at.UtcTicks}");

    private static string Describe(GeofenceKind kind) => kind switch
    {
        GeofenceKind.ConstructionSite => "construction site",
        GeofenceKind.DisposalPoint => "disposal point",
        GeofenceKind.Checkpoint => "checkpoint",
        _ => "geofence",
    };
}
