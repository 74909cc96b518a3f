using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Auth;

/// <summary>
/// API keys from configuration (<c>Auth:Keys:&lt;key&gt;=&lt;role&gt;</c>) in the <c>X-Api-Key</c> header, the
/// <c>access_token</c> query parameter (which browsers' WebSockets need), or as the password of HTTP Basic credentials
/// (which a browser resends for a page's own requests, and Prometheus sends with <c>basic_auth</c>). Reads need viewer
/// unless <c>Auth:AllowAnonymousRead</c> is true; writes need operator unless the endpoint asks for more. Missing or
/// unknown key: 401 (with a Basic challenge on <see cref="BrowserSignIn"/> endpoints); too low a role: 403; both as
/// problem details. A <see cref="LoopbackAccess"/> endpoint lets loopback callers in without a key.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<AuthOptions> options)
{
    /// <summary>The header carrying the key.</summary>
    public const string Header = "X-Api-Key";

    private readonly Dictionary<string, Role> _keys = ReadKeys(options.Value);
    private readonly bool _anonymousRead = options.Value.AllowAnonymousRead;

    /// <summary>Checks the caller's role against the endpoint's requirement.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<AllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        bool read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method);
        Role required = endpoint.Metadata.GetMetadata<RequiredRole>()?.Role ?? (read ? Role.Viewer : Role.Operator);
        if ((required == Role.Viewer && _anonymousRead)
            || (endpoint.Metadata.GetMetadata<LoopbackAccess>() is not null && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)))
        {
            await next(context);
            return;
        }

        string? key = context.Request.Headers[Header].FirstOrDefault() ?? context.Request.Query["access_token"].FirstOrDefault() ?? BasicPassword(context.Request);
        if (string.IsNullOrEmpty(key) || !_keys.TryGetValue(key, out Role role))
        {
            if (endpoint.Metadata.GetMetadata<BrowserSignIn>() is not null)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"CityTwin\", charset=\"UTF-8\"";
            }

            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: string.IsNullOrEmpty(key) ? $"Send an API key with at least the {required.ToString().ToLowerInvariant()} role in the {Header} header." : "The API key is not known.")
                .ExecuteAsync(context);
            return;
        }

        if (role < required)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Role too low",
                detail: $"This needs the {required.ToString().ToLowerInvariant()} role; the key has {role.ToString().ToLowerInvariant()}.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>The password of HTTP Basic credentials (the user name is not used), or null.</summary>
    private static string? BasicPassword(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.FirstOrDefault(), out AuthenticationHeaderValue? header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(header.Parameter);
        }
        catch (FormatException)
        {
            return null;
        }

        string credentials = Encoding.UTF8.GetString(bytes);
        int colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : credentials[(colon + 1)..];
    }

    private static Dictionary<string, Role> ReadKeys(AuthOptions options)
    {
        var keys = new Dictionary<string, Role>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> entry in options.Keys)
        {
            if (!Enum.TryParse(entry.Value, ignoreCase: true, out Role role) || !Enum.IsDefined(role))
            {
                throw new Hosting.CommandLineException($"Auth:Keys:{entry.Key[..Math.Min(4, entry.Key.Length)]}… has role '{entry.Value}'; use viewer, operator, planner or admin.");
            }

            keys[entry.Key] = role;
        }

        return keys;
    }
}
