using System.Globalization;
using System.Text.Json;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using Microsoft.AspNetCore.SignalR;

namespace CityTwin.TwinApi.Hubs;

/// <summary>
/// Reads the argument of <c>Subscribe</c>. The hub takes it as raw JSON rather than a bound record so that a wrong
/// shape gets a message naming the field, not SignalR's generic "error binding arguments".
/// </summary>
internal static class SubscriptionRequestParser
{
    /// <summary>The whole-district area id; subscribing to it is the same as giving no area.</summary>
    public const string DistrictAreaId = "district";

    private const string Shape = "{ areaId?, bbox?: [minLon, minLat, maxLon, maxLat], types?: [...], channels?: [...] }";

    private static readonly Dictionary<string, PushChannels> ChannelNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alert"] = PushChannels.Alert,
        ["warning"] = PushChannels.Warning,
        ["entityChanged"] = PushChannels.EntityChanged,
        ["caseChanged"] = PushChannels.CaseChanged,
        ["scenarioProgress"] = PushChannels.ScenarioProgress,
    };

    private static readonly string TypeList = string.Join(", ", Enum.GetNames<EntityType>().Select(n => n.ToLowerInvariant()));

    private static readonly string ChannelList = string.Join(", ", ChannelNames.Keys);

    /// <summary>Parses and validates a request; <paramref name="findArea"/> looks an area up by id (null if unknown).</summary>
    /// <exception cref="HubException">The request is malformed or names an unknown area, type or channel.</exception>
    public static SubscriptionFilter Parse(JsonElement request, Func<string, EntitySummary?> findArea)
    {
        if (request.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return SubscriptionFilter.Everything;
        }

        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new HubException($"Subscribe expects one object {Shape}, not a {Describe(request.ValueKind)}.");
        }

        string? areaId = null;
        GeoPoint[]? areaShape = null;
        GeoBox? box = null;
        int typeMask = 0;
        PushChannels channels = PushChannels.All;
        foreach (JsonProperty field in request.EnumerateObject())
        {
            switch (field.Name.ToLowerInvariant())
            {
                case "areaid":
                    (areaId, areaShape) = ReadArea(field.Value, findArea);
                    break;
                case "bbox":
                    box = ReadBox(field.Value);
                    break;
                case "types":
                    typeMask = 0;
                    foreach (string name in ReadNames(field.Value, "types", TypeList))
                    {
                        if (!Enum.TryParse(name, ignoreCase: true, out EntityType type) || !Enum.IsDefined(type) || name.Any(char.IsDigit))
                        {
                            throw new HubException($"Unknown entity type '{name}' in types; use {TypeList}.");
                        }

                        typeMask |= SubscriptionFilter.TypeBit(type);
                    }

                    break;
                case "channels":
                    channels = PushChannels.None;
                    foreach (string name in ReadNames(field.Value, "channels", ChannelList))
                    {
                        if (!ChannelNames.TryGetValue(name, out PushChannels channel))
                        {
                            throw new HubException($"Unknown channel '{name}' in channels; use {ChannelList}.");
                        }

                        channels |= channel;
                    }

                    break;
                default:
                    throw new HubException($"Unknown subscription field '{field.Name}'; a subscription is {Shape}.");
            }
        }

        return new SubscriptionFilter(areaId, areaShape, box, typeMask, channels);
    }

    private static (string? Id, GeoPoint[]? Shape) ReadArea(JsonElement value, Func<string, EntitySummary?> findArea)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new HubException($"areaId must be an area id such as \"community-1-2\" or \"{DistrictAreaId}\", not a {Describe(value.ValueKind)}.");
        }

        string id = value.GetString()!;
        if (id == DistrictAreaId)
        {
            return (null, null);
        }

        if (findArea(id) is not { Type: EntityType.Area } area)
        {
            throw new HubException($"Unknown area '{id}'; GET /api/areas lists the district's areas.");
        }

        return (id, area.Shape);
    }

    private static GeoBox? ReadBox(JsonElement value)
    {
        const string Expected = "bbox must be [minLon, minLat, maxLon, maxLat] in WGS84 degrees";
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 4)
        {
            string got = value.ValueKind == JsonValueKind.Array ? $"{value.GetArrayLength()} numbers" : $"a {Describe(value.ValueKind)}";
            throw new HubException($"{Expected}; got {got}.");
        }

        double[] n = new double[4];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out n[i]) || !double.IsFinite(n[i]))
            {
                throw new HubException($"{Expected}; item {i} is not a number.");
            }

            i++;
        }

        if (n[0] is < -180 or > 180 || n[2] is < -180 or > 180 || n[1] is < -90 or > 90 || n[3] is < -90 or > 90)
        {
            throw new HubException($"{Expected}; [{Format(n)}] is out of range (longitude -180..180, latitude -90..90).");
        }

        if (n[0] > n[2] || n[1] > n[3])
        {
            throw new HubException($"{Expected}; in [{Format(n)}] a minimum exceeds its maximum.");
        }

        return new GeoBox(n[0], n[1], n[2], n[3]);
    }

    private static List<string> ReadNames(JsonElement value, string field, string allowed)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw new HubException($"{field} must be a non-empty array of names ({allowed}); leave it out to receive all.");
        }

        var names = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new HubException($"{field} must hold names ({allowed}), not a {Describe(item.ValueKind)}.");
            }

            names.Add(item.GetString()!);
        }

        return names;
    }

    private static string Format(double[] n) => string.Join(", ", n.Select(x => x.ToString(CultureInfo.InvariantCulture)));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
