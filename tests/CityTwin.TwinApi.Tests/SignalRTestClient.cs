using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// A SignalR client speaking the JSON hub protocol over a real WebSocket (the .NET client cannot be restored here):
/// handshake, invocations with completions, and a record of every push the server invoked on it. Reading can be
/// paused to play a slow client; the socket's receive buffer can be made small so that the pause is felt at once.
/// </summary>
public sealed class SignalRTestClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly List<Push> _pushes = [];
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _readGate = CreateOpenGate();
    private Task _receiveLoop = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;
    private int _nextInvocationId;
    private string? _closedBecause;

    private SignalRTestClient(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    /// <summary>Every push received so far, in order.</summary>
    public IReadOnlyList<Push> Pushes
    {
        get
        {
            lock (_lock)
            {
                return [.. _pushes];
            }
        }
    }

    /// <summary>
    /// Connects to the hub at <paramref name="hubUrl"/> (http or ws scheme) sending <paramref name="apiKey"/>, and
    /// completes the JSON protocol handshake. <paramref name="receiveBufferBytes"/> sets the socket's receive buffer.
    /// </summary>
    public static async Task<SignalRTestClient> ConnectAsync(Uri hubUrl, string? apiKey, int? receiveBufferBytes = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } size)
                {
                    socket.ReceiveBufferSize = size;
                }

                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        if (apiKey is not null)
        {
            socket.Options.SetRequestHeader("X-Api-Key", apiKey);
        }

        var builder = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        var client = new SignalRTestClient(socket, invoker);
        try
        {
            using var timeout = new CancellationTokenSource(InvocationTimeout);
            await socket.ConnectAsync(builder.Uri, invoker, timeout.Token);
            await client.SendRecordAsync("{\"protocol\":\"json\",\"version\":1}");
            string handshake = await client.ReadHandshakeAsync(timeout.Token);
            using JsonDocument answer = JsonDocument.Parse(handshake);
            if (answer.RootElement.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException($"Hub handshake refused: {error.GetString()}");
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        client._keepAlive = Task.Run(client.KeepAliveAsync);
        return client;
    }

    /// <summary>Invokes a hub method and returns its result; a server error throws <see cref="InvocationFailedException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] arguments)
    {
        string id = Interlocked.Increment(ref _nextInvocationId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closedBecause is not null)
            {
                throw new InvalidOperationException($"The hub connection is closed: {_closedBecause}");
            }

            _pending[id] = completion;
        }

        string record = JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments }, JsonSerializerOptions.Web);
        await SendRecordAsync(record);
        return await completion.Task.WaitAsync(InvocationTimeout);
    }

    /// <summary>Subscribes with <paramref name="request"/> (serialised as camelCase JSON) and returns the subscription id.</summary>
    public async Task<string> SubscribeAsync(object? request) =>
        (await InvokeAsync("Subscribe", request)).GetString() ?? throw new InvalidOperationException("Subscribe returned no id.");

    /// <summary>The pushes of one method received so far.</summary>
    public IReadOnlyList<Push> PushesOf(string method) => Pushes.Where(p => p.Method == method).ToArray();

    /// <summary>Waits until a push satisfying <paramref name="match"/> has arrived and returns it (the first such).</summary>
    public async Task<Push> WaitForPushAsync(Predicate<Push> match, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        int scanned = 0;
        while (true)
        {
            // Only pushes not yet looked at are scanned, so waiting through thousands of pushes stays cheap.
            lock (_lock)
            {
                for (; scanned < _pushes.Count; scanned++)
                {
                    if (match(_pushes[scanned]))
                    {
                        return _pushes[scanned];
                    }
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                string seen = string.Join(", ", Pushes.Select(p => p.Method).GroupBy(m => m).Select(g => $"{g.Count()} {g.Key}"));
                throw new TimeoutException($"No push {what} within {timeout}; received: {(seen.Length == 0 ? "nothing" : seen)}{ClosedNote()}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Stops reading from the socket (a slow client); the server's writes back up.</summary>
    public void PauseReading()
    {
        lock (_lock)
        {
            if (_readGate.Task.IsCompleted)
            {
                _readGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Reads again after <see cref="PauseReading"/>.</summary>
    public void ResumeReading()
    {
        lock (_lock)
        {
            _readGate.TrySetResult();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ResumeReading();
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already closing or gone: nothing left to tell the server.
        }

        _socket.Abort();
        await Task.WhenAll(_receiveLoop, _keepAlive).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _invoker.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private static TaskCompletionSource CreateOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private async Task SendRecordAsync(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json + (char)RecordSeparator);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<string> ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        byte[] chunk = new byte[4096];
        while (true)
        {
            // The handshake answer is read byte-exactly up to its separator, so nothing after it is lost.
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(chunk.AsMemory(0, 1), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The hub closed the socket during the handshake: {_socket.CloseStatusDescription}");
            }

            if (result.Count == 1 && chunk[0] == RecordSeparator)
            {
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            }

            buffer.Write(chunk.AsSpan(0, result.Count));
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var record = new ArrayBufferWriter<byte>();
        byte[] chunk = new byte[16 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Task gate;
                lock (_lock)
                {
                    gate = _readGate.Task;
                }

                await gate.WaitAsync(_stop.Token);
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(chunk.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Close($"socket closed by the server ({_socket.CloseStatus}: {_socket.CloseStatusDescription})");
                    return;
                }

                // One frame may hold several records or part of one: split on the separator, keep the rest.
                ReadOnlySpan<byte> data = chunk.AsSpan(0, result.Count);
                int separator;
                while ((separator = data.IndexOf(RecordSeparator)) >= 0)
                {
                    record.Write(data[..separator]);
                    Handle(record.WrittenSpan);
                    record.ResetWrittenCount();
                    data = data[(separator + 1)..];
                }

                record.Write(data);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Close(_stop.IsCancellationRequested ? "disposed" : e.Message);
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json.ToArray());
        JsonElement root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                JsonElement args = root.GetProperty("arguments");
                JsonElement argument = args.GetArrayLength() > 0 ? args[0].Clone() : default;
                lock (_lock)
                {
                    _pushes.Add(new Push(root.GetProperty("target").GetString()!, argument, DateTime.UtcNow));
                }

                break;
            case 3:
                string id = root.GetProperty("invocationId").GetString()!;
                TaskCompletionSource<JsonElement>? completion;
                lock (_lock)
                {
                    _pending.Remove(id, out completion);
                }

                if (root.TryGetProperty("error", out JsonElement error))
                {
                    completion?.TrySetException(new InvocationFailedException(error.GetString() ?? "(no message)"));
                }
                else
                {
                    completion?.TrySetResult(root.TryGetProperty("result", out JsonElement value) ? value.Clone() : default);
                }

                break;
            case 7:
                Close(root.TryGetProperty("error", out JsonElement reason) ? $"server closed the connection: {reason.GetString()}" : "server closed the connection");
                break;
            default:
                // 6 = ping: the server's keep-alive, nothing to do.
                break;
        }
    }

    private async Task KeepAliveAsync()
    {
        // The server closes a connection it has not heard from within 30 s; a paused reader still sends pings.
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendRecordAsync("{\"type\":6}");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closing.
        }
    }

    private void Close(string reason)
    {
        TaskCompletionSource<JsonElement>[] pending;
        lock (_lock)
        {
            _closedBecause ??= reason;
            pending = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (TaskCompletionSource<JsonElement> completion in pending)
        {
            completion.TrySetException(new InvalidOperationException($"The hub connection closed: {reason}"));
        }
    }

    private string ClosedNote()
    {
        lock (_lock)
        {
            return _closedBecause is null ? string.Empty : $" (connection closed: {_closedBecause})";
        }
    }

    /// <summary>One push: the client method the server invoked, its argument, and when it arrived.</summary>
    public sealed record Push(string Method, JsonElement Argument, DateTime ReceivedAt);

    /// <summary>A hub method answered with an error (a HubException's message, for example).</summary>
    public sealed class InvocationFailedException(string message) : Exception(message);
}
