namespace CityTwin.TwinApi.Api;

/// <summary>
/// The longest text the API accepts in each kind of field, in one place, and the checks that name the field and its
/// limit. Limits keep one careless or hostile request from growing an entity, a case timeline or the event log.
/// </summary>
public static class TextLimits
{
    /// <summary>Identifiers: sensorId, vehicleId, buildingId, assignee, externalRef.</summary>
    public const int Id = 200;

    /// <summary>A reading's unit (e.g. "%LEL", "mm/h").</summary>
    public const int Unit = 32;

    /// <summary>Names of people: a transition's actor, a report's reporter, a contact's name.</summary>
    public const int Name = 200;

    /// <summary>A contact's phone number.</summary>
    public const int Phone = 40;

    /// <summary>Free text: a report's description, a transition's note.</summary>
    public const int Text = 4000;

    /// <summary>One photo or evidence URL.</summary>
    public const int Url = 2048;

    /// <summary>Photo or evidence URLs on one report or transition.</summary>
    public const int Urls = 20;

    /// <summary>Null when <paramref name="value"/> fits in <paramref name="limit"/> characters; otherwise the message naming the field and the limit.</summary>
    public static string? TooLong(string field, string? value, int limit) =>
        value is not null && value.Length > limit ? $"{field} is limited to {limit} characters; it has {value.Length}." : null;

    /// <summary>A 400 problem naming the first of <paramref name="fields"/> over its limit, or null when all fit.</summary>
    public static IResult? Check(params ReadOnlySpan<(string Field, string? Value, int Limit)> fields)
    {
        foreach ((string field, string? value, int limit) in fields)
        {
            if (TooLong(field, value, limit) is { } message)
            {
                return ApiProblems.BadRequest(message, field);
            }
        }

        return null;
    }

    /// <summary>True for an absolute http or https URL within <see cref="Url"/> characters (no javascript:, data:, file: or relative links).</summary>
    public static bool IsWebUrl(string? text) =>
        text is { Length: <= Url }
        && Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}
