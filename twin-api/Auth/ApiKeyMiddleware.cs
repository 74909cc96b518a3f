using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace CityTwin.TwinApi.Auth;

/// <summary>
/// API keys (<see cref="ApiKeys"/>) in the <c>X-Api-Key</c> header, as the password of HTTP Basic credentials (which a
/// browser resends for a page's own requests, and Prometheus sends with <c>basic_auth</c>), or, on the hub only, in the
/// <c>access_token</c> query parameter (browsers' WebSockets cannot send headers; anywhere else a key in a URL would
/// end up in logs and histories, so it is not accepted). A known key makes the request's <see cref="ApiCaller"/>, on
/// every endpoint. Reads need viewer unless <c>Auth:AllowAnonymousRead</c> is true; writes need operator unless the
/// endpoint asks for more. Missing or unknown key: 401 (with a Basic challenge on <see cref="BrowserSignIn"/> endpoints);
/// too low a role: 403; both as problem details. A <see cref="LoopbackAccess"/> endpoint lets loopback callers in
/// without a key.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys, IOptions<AuthOptions> options)
{
    /// <summary>The header carrying the key.</summary>
    public const string Header = "X-Api-Key";

    private readonly bool _anonymousRead = options.Value.AllowAnonymousRead;

    /// <summary>Checks the caller's role against the endpoint's requirement.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        string? key = context.Request.Headers[Header].FirstOrDefault()
            ?? (context.Request.Path.StartsWithSegments(Hubs.TwinHub.Path, StringComparison.OrdinalIgnoreCase) ? context.Request.Query["access_token"].FirstOrDefault() : null)
            ?? BasicPassword(context.Request);
        ApiCaller? caller = keys.Find(key);
        if (caller is not null)
        {
            context.Features.Set(caller);
        }

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

        if (caller is null)
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

        if (caller.Role < required)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Role too low",
                detail: $"This needs the {required.ToString().ToLowerInvariant()} role; the key has {caller.Role.ToString().ToLowerInvariant()}.")
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
}
