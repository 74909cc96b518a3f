namespace CityTwin.TwinApi.Auth;

/// <summary>
/// Who sent a request: the name and role of its API key, set by <see cref="ApiKeyMiddleware"/> on every request that
/// carries a known key (also on endpoints open to anonymous callers). The name is what the audit trail records.
/// </summary>
public sealed record ApiCaller(string Name, Role Role)
{
    /// <summary>The caller of <paramref name="context"/>, or null when the request carries no known key.</summary>
    public static ApiCaller? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiCaller>();
    }

    /// <summary>True when the caller may see personal data (names and phone numbers of reporters and contacts): operator and above.</summary>
    public static bool SeesPersonalData(HttpContext context) => Of(context)?.Role >= Role.Operator;
}
