using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// A client of the hub through Microsoft's SignalR .NET client over a real WebSocket, recording every push it receives in
/// order (the client runs one handler at a time, in the order the messages arrived).
/// </summary>
public sealed class HubListener : IAsyncDisposable
{
    /// <summary>The hub's push methods.</summary>
    public static readonly string[] Methods = ["alert", "warning", "entityChanged", "caseChanged", "scenarioProgress"];

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly HubConnection _connection;
    private readonly Lock _lock = new();
    private readonly List<Push> _pushes = [];
    private readonly List<(Predicate<Push> Match, TaskCompletionSource<Push> Done)> _waiters = [];

    private HubListener(HubConnection connection)
    {
        _connection = connection;
        foreach (string method in Methods)
        {
            _connection.On<JsonElement>(method, argument => Record(new Push(method, argument)));
        }
    }

    /// <summary>Connects to <c>/hubs/twin</c> of the server at <paramref name="baseAddress"/> with <paramref name="key"/> (none: anonymous).</summary>
    public static async Task<HubListener> ConnectAsync(Uri baseAddress, string? key)
    {
        HubConnection connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "hubs/twin"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (key is not null)
                {
                    o.Headers["X-Api-Key"] = key;
                }
            })
            .Build();
        var listener = new HubListener(connection);
        await connection.StartAsync();
        return listener;
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

    /// <summary>Subscribes with <paramref name="request"/> (the hub's <c>Subscribe</c>) and returns the subscription id.</summary>
    public Task<string> SubscribeAsync(object? request) => _connection.InvokeAsync<string>("Subscribe", request);

    /// <summary>Calls a hub method that answers nothing; a <see cref="Microsoft.AspNetCore.SignalR.HubException"/> carries the server's error.</summary>
    public Task CallAsync(string method, params object?[] arguments) => _connection.InvokeCoreAsync(method, arguments);

    /// <summary>The first push (received already or later) that <paramref name="match"/> accepts; fails after a generous timeout.</summary>
    public async Task<Push> WaitForPushAsync(Predicate<Push> match, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<Push>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_pushes.Find(match) is { } seen)
            {
                return seen;
            }

            _waiters.Add((match, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no push {what} within {timeout ?? DefaultTimeout}; received {Pushes.Count}: {string.Join(", ", Pushes.TakeLast(5).Select(p => p.Method))}");
        }
        finally
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private void Record(Push push)
    {
        lock (_lock)
        {
            _pushes.Add(push);
            foreach ((Predicate<Push> match, TaskCompletionSource<Push> done) in _waiters)
            {
                if (match(push))
                {
                    done.TrySetResult(push);
                }
            }
        }
    }

    /// <summary>One push: the method the server invoked and its argument.</summary>
    public sealed record Push(string Method, JsonElement Argument);
}
