using System.Net.Sockets;
using System.Text;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// One HTTP/1.1 request sent as raw bytes over a real socket, for what <see cref="HttpClient"/> refuses to send (bytes that
/// are not UTF-8 in a header, <c>%00</c> in a path): the answer's status, headers and body as the server wrote them.
/// </summary>
public sealed record RawHttpExchange(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Sends <c>{method} {target} HTTP/1.1</c> with a Host header, <paramref name="headers"/> (raw bytes) and Connection: close.</summary>
    public static Task<RawHttpExchange> SendAsync(Uri server, string method, string target, params byte[][] headers) =>
        SendWithBodyAsync(server, method, target, [], headers);

    /// <summary>As <see cref="SendAsync(Uri, string, string, byte[][])"/>, with a JSON <paramref name="body"/> (and its Content-Length) when it is not empty.</summary>
    public static async Task<RawHttpExchange> SendWithBodyAsync(Uri server, string method, string target, byte[] body, params byte[][] headers)
    {
        var request = new List<byte>();
        request.AddRange(Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n"));
        if (body.Length > 0)
        {
            request.AddRange(Encoding.ASCII.GetBytes($"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n"));
        }

        foreach (byte[] header in headers)
        {
            request.AddRange(header);
            request.AddRange("\r\n"u8.ToArray());
        }

        request.AddRange("\r\n"u8.ToArray());
        request.AddRange(body);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(request.ToArray(), timeout.Token);
        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // The server closed the connection while the rest of the request was unread (a reset): its answer was read.
        }

        return Parse(answer.ToArray());
    }

    private static RawHttpExchange Parse(byte[] answer)
    {
        // Latin-1 keeps one character per byte, so that chunk sizes count characters; the body is decoded as UTF-8 at the end.
        string text = Encoding.Latin1.GetString(answer);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidDataException($"No complete HTTP answer: '{text}'");
        }

        string[] lines = text[..end].Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        string body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? coding) && coding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new RawHttpExchange(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Unchunk(string body)
    {
        var text = new StringBuilder();
        int at = 0;
        while (true)
        {
            int lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(body[at..lineEnd], 16);
            if (size == 0)
            {
                return text.ToString();
            }

            text.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
