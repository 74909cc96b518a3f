using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Scenarios.Runs;

/// <summary>
/// Selectors let stock scenario files name entities without knowing a district's ids: <c>@residential-gas-sensor</c>
/// is the gas sensor of the residential building with the most elderly residents, <c>@muck-truck</c> the first muck
/// truck, <c>@checkpoint</c> the first checkpoint geofence, and so on. Resolution is deterministic (id order).
/// </summary>
public static class EntitySelectors
{
    /// <summary>Selectors naming an entity.</summary>
    public static IReadOnlyList<string> EntitySelectorNames { get; } =
    [
        "@residential-gas-sensor", "@residential", "@elderly-care", "@industrial", "@muck-truck", "@fire-engine", "@ambulance",
        "@patrol-car", "@gauge", "@wind-sensor", "@rain-sensor",
    ];

    /// <summary>Selectors naming a place (a geofence's centre).</summary>
    public static IReadOnlyList<string> PlaceSelectors { get; } = ["@construction-site", "@checkpoint", "@disposal-point"];

    /// <summary>True for a known entity selector.</summary>
    public static bool IsEntitySelector(string text) => EntitySelectorNames.Contains(text, StringComparer.Ordinal);

    /// <summary>True for a known place selector.</summary>
    public static bool IsPlaceSelector(string text) => PlaceSelectors.Contains(text, StringComparer.Ordinal);

    /// <summary>Resolves an id or selector to an entity of the twin; null when nothing matches.</summary>
    public static EntitySummary? Resolve(string idOrSelector, TwinDirectory directory)
    {
        if (!idOrSelector.StartsWith('@'))
        {
            return directory.Get(idOrSelector);
        }

        return idOrSelector switch
        {
            "@residential-gas-sensor" => ResidentialBuilding(directory, requireGasSensor: true) is { } b ? SensorOf(directory, b.Id, "gas") : null,
            "@residential" => ResidentialBuilding(directory, requireGasSensor: false),
            "@elderly-care" => Buildings(directory, "elderlycare").FirstOrDefault() ?? ResidentialBuilding(directory, false),
            "@industrial" => Buildings(directory, "industrial").FirstOrDefault() ?? directory.OfType(EntityType.Building).InIdOrder().FirstOrDefault(),
            "@muck-truck" => Vehicle(directory, "mucktruck"),
            "@fire-engine" => Vehicle(directory, "fireengine"),
            "@ambulance" => Vehicle(directory, "ambulance"),
            "@patrol-car" => Vehicle(directory, "patrolcar"),
            "@gauge" => directory.OfType(EntityType.Gauge).InIdOrder().FirstOrDefault(),
            "@wind-sensor" => directory.OfType(EntityType.Sensor).Where(s => SummaryFields.IsKind(s, "wind")).InIdOrder().FirstOrDefault(),
            "@rain-sensor" => directory.OfType(EntityType.Sensor).Where(s => SummaryFields.IsKind(s, "rain")).InIdOrder().FirstOrDefault(),
            _ => null,
        };
    }

    /// <summary>Resolves a place selector to the centre of the first geofence of its kind; null when the district has none.</summary>
    public static GeoPoint? ResolvePlace(string selector, DistrictMeta meta)
    {
        GeofenceKind? kind = selector switch
        {
            "@construction-site" => GeofenceKind.ConstructionSite,
            "@checkpoint" => GeofenceKind.Checkpoint,
            "@disposal-point" => GeofenceKind.DisposalPoint,
            _ => null,
        };
        return kind is null ? null : meta.Geofences.Where(g => g.Kind == kind).OrderBy(g => SummaryFields.IdNumber(g.Id)).ThenBy(g => g.Id, StringComparer.Ordinal).Select(g => (GeoPoint?)g.Centre).FirstOrDefault();
    }

    /// <summary>The sensor of a kind installed in a building, lowest id first.</summary>
    public static EntitySummary? SensorOf(TwinDirectory directory, string buildingId, string kind) =>
        directory.Members("building", buildingId).Select(directory.Get).OfType<EntitySummary>()
            .Where(s => s.Type == EntityType.Sensor && SummaryFields.IsKind(s, kind)).InIdOrder().FirstOrDefault();

    private static IEnumerable<EntitySummary> Buildings(TwinDirectory directory, string use) =>
        directory.OfType(EntityType.Building).Where(b => SummaryFields.IsKind(b, use)).InIdOrder();

    private static EntitySummary? ResidentialBuilding(TwinDirectory directory, bool requireGasSensor) =>
        Buildings(directory, "residential")
            .Where(b => !requireGasSensor || SensorOf(directory, b.Id, "gas") is not null)
            .OrderByDescending(b => SummaryFields.Number(b, "elderly") ?? 0)
            .ThenBy(b => SummaryFields.IdNumber(b.Id))
            .FirstOrDefault();

    private static EntitySummary? Vehicle(TwinDirectory directory, string kind) =>
        directory.OfType(EntityType.Vehicle).Where(v => SummaryFields.IsKind(v, kind)).InIdOrder().FirstOrDefault();
}
