using CityTwin.Silo.Feed;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityTwin.Silo.Tests.Feed;

/// <summary>
/// A buffered subscriber that falls behind loses its oldest items (pushes to a slow client), while an observer, which the
/// cluster's replicator uses, sees every item in order, whatever the subscribers do.
/// </summary>
public sealed class ChangeFeedTests
{
    [Fact]
    public async Task An_observer_sees_every_item_in_order_while_a_stuck_subscriber_loses_its_oldest()
    {
        var feed = new ChangeFeed<int>("test", bufferPerSubscriber: 4, NullLogger.Instance);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = new List<int>();
        await using IAsyncDisposable stuck = feed.Subscribe(async i =>
        {
            first.TrySetResult();
            await release.Task;
            lock (delivered)
            {
                delivered.Add(i);
            }
        });
        var observed = new List<int>();
        IAsyncDisposable observer = feed.Observe(observed.Add);

        feed.Publish(0);
        await first.Task; // the subscriber holds item 0, so its buffer of 4 takes items 1-4 and then drops the oldest
        for (int i = 1; i <= 100; i++)
        {
            feed.Publish(i);
        }

        Assert.Equal(Enumerable.Range(0, 101), observed);
        Assert.Equal(96, feed.Dropped);

        await observer.DisposeAsync();
        feed.Publish(101);
        Assert.Equal(101, observed.Count);

        release.SetResult();
        await stuck.DisposeAsync();
        Assert.Equal([0, 98, 99, 100, 101], delivered); // 101 came while it was still stuck, so 97 went too
    }

    [Fact]
    public void An_observer_that_throws_does_not_stop_the_others_or_the_publisher()
    {
        var feed = new ChangeFeed<int>("test", bufferPerSubscriber: 4, NullLogger.Instance);
        var observed = new List<int>();
        feed.Observe(_ => throw new InvalidOperationException("broken observer"));
        feed.Observe(observed.Add);

        feed.Publish(1);
        feed.Publish(2);

        Assert.Equal([1, 2], observed);
        Assert.Equal(2, feed.Published);
    }

    [Fact]
    public async Task A_subscriber_gets_only_what_is_published_while_it_wants_items()
    {
        var feed = new ChangeFeed<int>("test", bufferPerSubscriber: 4, NullLogger.Instance);
        bool wanted = false;
        var delivered = new List<int>();
        IAsyncDisposable subscription = feed.Subscribe(
            i =>
            {
                lock (delivered)
                {
                    delivered.Add(i);
                }

                return Task.CompletedTask;
            },
            () => Volatile.Read(ref wanted));

        feed.Publish(1);
        feed.Publish(2);
        Volatile.Write(ref wanted, true);
        feed.Publish(3);
        Volatile.Write(ref wanted, false);
        feed.Publish(4);
        await subscription.DisposeAsync();

        Assert.Equal([3], delivered);
        Assert.Equal(0, feed.Dropped);
        Assert.Equal(4, feed.Published);
    }
}
