using CityTwin.Grains.Geo;
using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>
/// Something people must know now: a gas/smoke/CO alarm, an SOS, a welfare check, an offline sensor, a river warning
/// tier, a muck-truck violation. <see cref="Channel"/> is "alert" or "warning" (river and forecast warnings), as pushed
/// over SignalR. <see cref="Recipients"/> are the people to notify (building contacts, area staff).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record Alert(
    string Id,
    string Channel,
    string Kind,
    AlertSeverity Severity,
    string Message,
    EntityType EntityType,
    string EntityId,
    GeoPoint Position,
    DateTimeOffset At,
    string? BuildingId,
    string? GridId,
    string? CommunityId,
    string? StreetId,
    Contact[] Recipients,
    IReadOnlyDictionary<string, string>? Details = null)
{
    /// <summary>The event-log kind of published alerts and warnings (kept so a restarted silo shows them again).</summary>
    public const string LogKind = "alert";
}
