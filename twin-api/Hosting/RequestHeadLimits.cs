using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CityTwin.TwinApi.Hosting;

/// <summary>
/// Limits on a request's line and headers, enforced by <see cref="RequestHeadMiddleware"/> so that a request over them
/// answers with problem details. Kestrel answers what it rejects itself with an empty body and offers no hook to shape
/// it, so its own limits are raised above these (<see cref="ConfigureKestrel"/>): only a request over Kestrel's raised
/// limits, or one Kestrel cannot parse at all, still gets Kestrel's empty answer.
/// </summary>
public static class RequestHeadLimits
{
    /// <summary>Longest request line (method, target, version and the line end) we answer; longer: 414. Kestrel's default.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>Most header bytes (each <c>name: value</c> and its line end) we answer; more: 431. Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Most header lines we answer; more: 431. Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's request-line limit, raised so that lines up to 8 times ours reach the middleware.</summary>
    public const int KestrelMaxRequestLineBytes = 8 * MaxRequestLineBytes;

    /// <summary>Kestrel's header-size limit, raised so that headers up to 4 times ours reach the middleware.</summary>
    public const int KestrelMaxHeaderBytes = 4 * MaxHeaderBytes;

    /// <summary>Kestrel's header-count limit, raised so that up to 10 times ours reach the middleware.</summary>
    public const int KestrelMaxHeaderCount = 10 * MaxHeaderCount;

    /// <summary>
    /// Raises Kestrel's request-line and header limits above ours and has it decode header values as Latin-1 (every byte
    /// one character), so that a value that is not UTF-8 reaches the middleware instead of being refused with an empty
    /// 400; the middleware decodes UTF-8 values as Kestrel would have and refuses the rest with problem details.
    /// </summary>
    public static void ConfigureKestrel(KestrelServerOptions options)
    {
        options.Limits.MaxRequestLineSize = KestrelMaxRequestLineBytes;
        options.Limits.MaxRequestHeadersTotalSize = KestrelMaxHeaderBytes;
        options.Limits.MaxRequestHeaderCount = KestrelMaxHeaderCount;
        options.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
    }
}
