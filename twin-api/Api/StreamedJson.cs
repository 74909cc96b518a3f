using System.Buffers;
using System.IO.Pipelines;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// A result whose JSON is written straight into the response's pipe (pooled memory) and flushed once. A 100-feature
/// GeoJSON page is about 42 KB: built first in a growing array it cost about 110 KB of garbage per query, which at
/// 1,000 queries/s meant a gen-0 collection (and its pause) every second or so.
/// </summary>
internal sealed class StreamedJson(string contentType, Action<IBufferWriter<byte>> write) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = contentType;
        PipeWriter body = httpContext.Response.BodyWriter;
        write(body);
        await body.FlushAsync(httpContext.RequestAborted);
    }
}
