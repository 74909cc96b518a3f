using System.Diagnostics;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// entityChanged is throttled per entity per connection (Hub:EntityThrottle, 1 s by default): a burst gives one push at
/// once and one at the end of the window with the last value, so a client never ends on a stale value.
/// </summary>
public sealed class HubEntityThrottleTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    private static readonly TimeSpan Throttle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task BurstOfChangesGivesOneImmediateAndOneTrailingPushWithTheLastValue()
    {
        await using SignalRTestClient client = await ConnectAsync();
        await client.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        string id = NewSensorId();

        var burst = Stopwatch.StartNew();
        for (int value = 1; value <= 10; value++)
        {
            await PublishAsync(Sensor(id, value));
            await Task.Delay(10);
        }

        Assert.True(burst.Elapsed < Throttle / 2, $"the burst took {burst.Elapsed}, too long to fall in one window");

        SignalRTestClient.Push first = await client.WaitForPushAsync(p => Value(p, id) == 1, TimeSpan.FromSeconds(5), "with the first value");
        SignalRTestClient.Push last = await client.WaitForPushAsync(p => Value(p, id) == 10, TimeSpan.FromSeconds(5), "with the last value");

        // Nothing else may follow: wait out a further window and count.
        await Task.Delay(Throttle + TimeSpan.FromMilliseconds(300));
        double?[] values = client.Pushes.Select(p => Value(p, id)).Where(v => v is not null).ToArray();
        Assert.Equal([1, 10], values);
        TimeSpan gap = last.ReceivedAt - first.ReceivedAt;
        Assert.InRange(gap, Throttle * 0.8, Throttle * 3);
    }

    [Fact]
    public async Task EntitiesAreThrottledIndependently()
    {
        await using SignalRTestClient client = await ConnectAsync();
        await client.SubscribeAsync(new { types = new[] { "sensor" } });
        string busy = NewSensorId(), other = NewSensorId();

        await PublishAsync(Sensor(busy, 1));
        await PublishAsync(Sensor(busy, 2));
        var sent = Stopwatch.StartNew();
        await PublishAsync(Sensor(other, 7));

        // The other entity's first change is not held back by the busy one's window.
        await client.WaitForPushAsync(p => Value(p, other) == 7, TimeSpan.FromSeconds(5), "for the other entity");
        Assert.True(sent.Elapsed < Throttle / 2, $"the other entity's change took {sent.Elapsed}, as if throttled with the busy one");
        await client.WaitForPushAsync(p => Value(p, busy) == 2, TimeSpan.FromSeconds(5), "trailing value of the busy entity");
    }

    [Fact]
    public async Task ChangeAfterAQuietWindowIsPushedAtOnce()
    {
        await using SignalRTestClient client = await ConnectAsync();
        await client.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        string id = NewSensorId();

        await PublishAsync(Sensor(id, 1));
        await client.WaitForPushAsync(p => Value(p, id) == 1, TimeSpan.FromSeconds(5), "first change");
        await Task.Delay(Throttle + TimeSpan.FromMilliseconds(300));

        var sent = Stopwatch.StartNew();
        await PublishAsync(Sensor(id, 2));
        await client.WaitForPushAsync(p => Value(p, id) == 2, TimeSpan.FromSeconds(5), "change after the window");
        Assert.True(sent.Elapsed < Throttle / 2, $"a change after a quiet window took {sent.Elapsed}: it waited for a window that had ended");
    }

    [Fact]
    public async Task EachConnectionHasItsOwnWindow()
    {
        await using SignalRTestClient early = await ConnectAsync();
        await early.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        string id = NewSensorId();
        await PublishAsync(Sensor(id, 1));
        await early.WaitForPushAsync(p => Value(p, id) == 1, TimeSpan.FromSeconds(5), "first change");

        // A client joining during the first client's window gets the next change at once.
        await using SignalRTestClient late = await ConnectAsync();
        await late.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        var sent = Stopwatch.StartNew();
        await PublishAsync(Sensor(id, 2));
        await late.WaitForPushAsync(p => Value(p, id) == 2, TimeSpan.FromSeconds(5), "change on the late connection");
        Assert.True(sent.Elapsed < Throttle / 2, $"the late connection waited {sent.Elapsed}, inside the other connection's window");
        await early.WaitForPushAsync(p => Value(p, id) == 2, TimeSpan.FromSeconds(5), "trailing change on the early connection");
    }

    private Task<SignalRTestClient> ConnectAsync() =>
        SignalRTestClient.ConnectAsync(new Uri(server.BaseAddress, "hubs/twin"), TwinServerFixture.ViewerKey);

    private Task PublishAsync(EntitySummary summary)
    {
        server.Feeds.EntityChanges.Publish(summary);
        return Task.CompletedTask;
    }

    private static string NewSensorId() => "sensor-throttle-" + Guid.NewGuid().ToString("N");

    private static EntitySummary Sensor(string id, double value) =>
        new(id, EntityType.Sensor, "gas", null, "ok", new(104.0657, 30.6595), DateTimeOffset.UtcNow) { Value = value, Unit = "%LEL" };

    private static double? Value(SignalRTestClient.Push push, string id) =>
        push.Method == "entityChanged" && push.Argument.GetProperty("id").GetString() == id ? push.Argument.GetProperty("value").GetDouble() : null;
}
