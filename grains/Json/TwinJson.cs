using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityTwin.Grains.Json;

/// <summary>
/// The one JSON convention of everything the twin shows (HTTP answers, hub messages, reports, entity states, event-log
/// payloads): web defaults (camelCase names) and every enum as its camelCase name, never a number.
/// </summary>
public static class TwinJson
{
    /// <summary>Shared, read-only options with the convention applied.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>
    /// Adds the enum convention to <paramref name="options"/> (web defaults, ASP.NET Core's or SignalR's) and returns them. Enums are
    /// written as camelCase names; reading accepts the names and, unless <paramref name="allowIntegerEnums"/> is false,
    /// the numbers older stored payloads hold.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options, bool allowIntegerEnums = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerEnums));
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        JsonSerializerOptions options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
