using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.TwinApi.Tests;

/// <summary>
/// entityChanged is throttled per entity per connection (Hub:EntityThrottle, 1 s by default): a burst gives one push at
/// once and one at the end of the window with the last value, so a client never ends on a stale value. The throttle runs
/// on the fixture's virtual clock, so a window ends exactly when the test advances it; that every earlier change has
/// passed the hub is learnt from a marker: a change of another, fresh entity published after them, whose push (never
/// throttled) arrives after theirs.
/// </summary>
public sealed class HubEntityThrottleTests(HubClockServerFixture server) : IClassFixture<HubClockServerFixture>
{
    private static readonly TimeSpan Throttle = TimeSpan.FromSeconds(1);

    // Past the window's end (the outbox's timer is armed a millisecond late so that it never fires early).
    private static readonly TimeSpan PastTheWindow = Throttle + TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task BurstOfChangesGivesOneImmediateAndOneTrailingPushWithTheLastValue()
    {
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        string id = NewSensorId();

        for (int value = 1; value <= 10; value++)
        {
            Publish(Sensor(id, value));
        }

        // Inside the window only the first value went out; the others wait for its end.
        await PassedTheHubAsync(client);
        Assert.Equal([1.0], Values(client, id));

        await server.Clock.AdvanceAsync(PastTheWindow, null);
        await client.WaitForPushAsync(p => Value(p, id) == 10, "with the last value at the window's end");

        // The trailing push opened a window in which nothing changed: its end sends nothing.
        await server.Clock.AdvanceAsync(PastTheWindow, null);
        await PassedTheHubAsync(client);
        Assert.Equal([1.0, 10.0], Values(client, id));
    }

    [Fact]
    public async Task EntitiesAreThrottledIndependently()
    {
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { types = new[] { "sensor" } });
        string busy = NewSensorId(), other = NewSensorId();

        Publish(Sensor(busy, 1));
        Publish(Sensor(busy, 2));
        Publish(Sensor(other, 7));

        // The clock stands still: the other entity's change arrives although the busy one's window is open.
        await client.WaitForPushAsync(p => Value(p, other) == 7, "for the other entity inside the busy entity's window");
        Assert.Equal([1.0], Values(client, busy));

        await server.Clock.AdvanceAsync(PastTheWindow, null);
        await client.WaitForPushAsync(p => Value(p, busy) == 2, "trailing value of the busy entity");
    }

    [Fact]
    public async Task ChangeAfterAQuietWindowIsPushedAtOnce()
    {
        await using HubListener client = await ConnectAsync();
        await client.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        string id = NewSensorId();

        Publish(Sensor(id, 1));
        await client.WaitForPushAsync(p => Value(p, id) == 1, "first change");
        await server.Clock.AdvanceAsync(PastTheWindow, null);

        // The clock stands still from here: a change after the quiet window can only arrive if it is not held back.
        Publish(Sensor(id, 2));
        await client.WaitForPushAsync(p => Value(p, id) == 2, "change after the window");
        Assert.Equal([1.0, 2.0], Values(client, id));
    }

    [Fact]
    public async Task EachConnectionHasItsOwnWindow()
    {
        await using HubListener early = await ConnectAsync();
        await early.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        string id = NewSensorId();
        Publish(Sensor(id, 1));
        await early.WaitForPushAsync(p => Value(p, id) == 1, "first change");

        // A client joining during the first client's window gets the next change at once (the clock stands still).
        await using HubListener late = await ConnectAsync();
        await late.SubscribeAsync(new { channels = new[] { "entityChanged" } });
        Publish(Sensor(id, 2));
        await late.WaitForPushAsync(p => Value(p, id) == 2, "change on the late connection");
        await PassedTheHubAsync(early);
        Assert.Equal([1.0], Values(early, id));

        await server.Clock.AdvanceAsync(PastTheWindow, null);
        await early.WaitForPushAsync(p => Value(p, id) == 2, "trailing change on the early connection");
    }

    private Task<HubListener> ConnectAsync() => HubListener.ConnectAsync(server.BaseAddress, TwinServerFixture.ViewerKey);

    /// <summary>Returns once every change published before has been handled by the hub (queued or held for its window).</summary>
    private async Task PassedTheHubAsync(HubListener client)
    {
        string marker = NewSensorId();
        Publish(Sensor(marker, 0));
        await client.WaitForPushAsync(p => Value(p, marker) == 0, "of the marker entity");
    }

    private void Publish(EntitySummary summary) => server.Feeds.EntityChanges.Publish(summary);

    private static string NewSensorId() => "sensor-throttle-" + Guid.NewGuid().ToString("N");

    private static EntitySummary Sensor(string id, double value) =>
        new(id, EntityType.Sensor, "gas", null, "ok", new(104.0657, 30.6595), DateTimeOffset.UtcNow) { Value = value, Unit = "%LEL" };

    private static double[] Values(HubListener client, string id) => client.Pushes.Select(p => Value(p, id)).OfType<double>().ToArray();

    private static double? Value(HubListener.Push push, string id) =>
        push.Method == "entityChanged" && push.Argument.GetProperty("id").GetString() == id ? push.Argument.GetProperty("value").GetDouble() : null;
}
