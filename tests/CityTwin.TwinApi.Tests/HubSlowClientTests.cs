using System.Text.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// A client that stops reading must neither hold up other clients nor make the server buffer without bound: its
/// pushes wait in a bounded queue that drops the oldest, the drops are counted and reported to it, and it still ends
/// with the newest items. Nothing here is timed: the live client is shown to keep up by getting each batch while the
/// stalled one reads nothing, whatever the machine's speed. It uses the hand-written <see cref="SignalRTestClient"/>,
/// which can stop reading its socket; Microsoft's client always reads.
/// </summary>
public sealed class HubSlowClientTests(TwinServerFixture server, ITestOutputHelper output) : IClassFixture<TwinServerFixture>
{
    // Several times what the kernel's socket buffers absorb (a few MB), so the hub's own queue must overflow.
    private const int Published = 12_000;

    // The hub's default per-connection queue (Hub:ConnectionQueue).
    private const int Queue = 1_000;

    // Fewer than the queue, so a client that reads keeps up with each batch; pacing also keeps the silo's stream
    // buffer from overflowing, so every drop seen here is the hub's.
    private const int Batch = 250;

    [Fact]
    public async Task StalledClientLosesOldestPushesWhileOthersStayLive()
    {
        Uri hub = new(server.BaseAddress, "hubs/twin");
        // A small receive buffer so the stalled client's own socket holds next to nothing.
        await using SignalRTestClient slow = await SignalRTestClient.ConnectAsync(hub, TwinServerFixture.ViewerKey, receiveBufferBytes: 4096);
        await using SignalRTestClient live = await SignalRTestClient.ConnectAsync(hub, TwinServerFixture.ViewerKey);
        await slow.SubscribeAsync(new { channels = new[] { "alert" } });
        await live.SubscribeAsync(new { channels = new[] { "alert" } });
        slow.PauseReading();

        AlertBus bus = server.Alerts;
        string run = Guid.NewGuid().ToString("N");
        for (int i = 0; i < Published; i++)
        {
            await bus.PublishAsync(Alert(run, i));
            if (i % Batch == Batch - 1)
            {
                // Paced in batches a reading client keeps up with: the live client keeps up although the other reads nothing.
                int last = i;
                await live.WaitForPushAsync(p => Number(p, run) == last, TimeSpan.FromSeconds(60), $"for alert {last} on the live client");
            }
        }

        Assert.Equal(Published, live.PushesOf("alert").Count(p => Number(p, run) is not null));

        slow.ResumeReading();
        await slow.WaitForPushAsync(p => Number(p, run) == Published - 1, TimeSpan.FromSeconds(60), "for the newest alert on the slow client");
        int[] received = slow.PushesOf("alert").Select(p => Number(p, run)).OfType<int>().ToArray();
        JsonElement stats = await slow.InvokeAsync("Statistics");
        long dropped = stats.GetProperty("dropped").GetInt64();
        output.WriteLine($"slow client: {received.Length} received, {dropped} dropped");

        Assert.True(dropped > 0, $"nothing was dropped for a client that read nothing while {Published} alerts were pushed (it received {received.Length})");
        Assert.Equal(Published, received.Length + dropped);
        Assert.Equal(received.Order(), received);

        // Drop-oldest: the newest pushes, those still queued when the client read again, all arrived.
        Assert.Equal(Enumerable.Range(Published - Queue, Queue), received[^Queue..]);
        Assert.Equal(0, stats.GetProperty("queued").GetInt32());

        // The live client lost nothing.
        Assert.Equal(0, (await live.InvokeAsync("Statistics")).GetProperty("dropped").GetInt64());
    }

    private static Alert Alert(string run, int number) => new(
        Id: $"slow-{run}-{number}",
        Channel: "alert",
        Kind: "smoke",
        Severity: AlertSeverity.Critical,
        Message: $"Smoke alarm {number} of run {run}",
        EntityType: EntityType.Sensor,
        EntityId: "sensor-slow-test",
        Position: new(104.0657, 30.6595),
        At: DateTimeOffset.UtcNow,
        BuildingId: null,
        GridId: null,
        CommunityId: null,
        StreetId: null,
        Recipients: []);

    private static int? Number(SignalRTestClient.Push push, string run)
    {
        string? id = push.Argument.ValueKind == JsonValueKind.Object ? push.Argument.GetProperty("id").GetString() : null;
        string prefix = $"slow-{run}-";
        return id is not null && id.StartsWith(prefix, StringComparison.Ordinal) ? int.Parse(id[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
