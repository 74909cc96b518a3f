using System.Threading.Channels;
using CityTwin.Silo.Quiescence;
using Microsoft.Extensions.Logging;

namespace CityTwin.Silo.Feed;

/// <summary>
/// One silo's feed of one kind of change (alerts, entity changes, case changes, scenario progress) to the in-process
/// consumers that push it on: the SignalR gateway and the case intake. Publishing never waits: each subscriber has a
/// bounded buffer of its own and, when it falls behind, loses its oldest items (counted in <see cref="Dropped"/>), so a
/// slow consumer can neither grow memory nor stall a grain. A consumer that may lose nothing and does little per item
/// observes the feed instead (<see cref="Observe"/>): it runs inside <see cref="Publish"/>. In a cluster each silo feeds its own consumers with the changes
/// its grains make; carrying them to consumers on other silos is Orleans' job (see docs/ARCHITECTURE.md).
/// </summary>
/// <typeparam name="T">The kind of change.</typeparam>
public sealed class ChangeFeed<T>
{
    private readonly int _bufferPerSubscriber;
    private readonly ILogger _logger;
    private readonly WorkTracker? _tracker;
    private Subscriber[] _subscribers = [];
    private Observer[] _observers = [];
    private long _dropped;
    private long _published;

    /// <summary>Creates a feed; with a <paramref name="tracker"/>, items not yet handled count as work in flight.</summary>
    public ChangeFeed(string name, int bufferPerSubscriber, ILogger logger, WorkTracker? tracker = null)
    {
        Name = name;
        _bufferPerSubscriber = Math.Max(1, bufferPerSubscriber);
        _logger = logger;
        _tracker = tracker;
    }

    /// <summary>The feed's name, for logs.</summary>
    public string Name { get; }

    /// <summary>Items published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Items dropped because a subscriber's buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Hands <paramref name="item"/> to every observer, then to every subscriber's buffer; never blocks.</summary>
    public void Publish(T item)
    {
        Interlocked.Increment(ref _published);
        foreach (Observer o in Volatile.Read(ref _observers))
        {
            o.Deliver(item);
        }

        foreach (Subscriber s in Volatile.Read(ref _subscribers))
        {
            s.Deliver(item);
        }
    }

    /// <summary>
    /// Subscribes <paramref name="onNext"/>; items are handed to it one at a time, in order. With <paramref name="wanted"/>,
    /// an item published while it answers false is not buffered at all (a consumer with nobody to pass items on to, such
    /// as the hub with no client subscribed; it is asked inside <see cref="Publish"/>, so it must be quick). Dispose to stop.
    /// </summary>
    public IAsyncDisposable Subscribe(Func<T, Task> onNext, Func<bool>? wanted = null)
    {
        ArgumentNullException.ThrowIfNull(onNext);
        var subscriber = new Subscriber(this, onNext, wanted);
        Swap(ref _subscribers, current => [.. current, subscriber]);
        return subscriber;
    }

    /// <summary>
    /// Observes the feed without a buffer: <paramref name="onNext"/> runs on the publisher's thread, inside
    /// <see cref="Publish"/>, so it sees every item and must be quick and must not block (e.g. add to a collection under
    /// a short lock). For consumers that may not lose an item, such as the cluster's replicator. Dispose to stop.
    /// </summary>
    public IAsyncDisposable Observe(Action<T> onNext)
    {
        ArgumentNullException.ThrowIfNull(onNext);
        var observer = new Observer(this, onNext);
        Swap(ref _observers, current => [.. current, observer]);
        return observer;
    }

    private void Remove(Observer observer) => Swap(ref _observers, current => [.. current.Where(o => o != observer)]);

    private void Remove(Subscriber subscriber) => Swap(ref _subscribers, current => [.. current.Where(s => s != subscriber)]);

    // Replaces a copy-on-write array (Publish reads it without a lock) with change(current), retrying if it changed meanwhile.
    private static void Swap<TItem>(ref TItem[] array, Func<TItem[], TItem[]> change)
        where TItem : class
    {
        TItem[] current, updated;
        do
        {
            current = Volatile.Read(ref array);
            updated = change(current);
        }
        while (Interlocked.CompareExchange(ref array, updated, current) != current);
    }

    private sealed class Observer(ChangeFeed<T> feed, Action<T> onNext) : IAsyncDisposable
    {
        public void Deliver(T item)
        {
            try
            {
                onNext(item);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                feed._logger.LogWarning(e, "An observer of the {Feed} feed failed on an item", feed.Name);
            }
        }

        public ValueTask DisposeAsync()
        {
            feed.Remove(this);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly ChangeFeed<T> _feed;
        private readonly Channel<T> _buffer;
        private readonly Task _pump;
        private readonly Func<bool>? _wanted;

        public Subscriber(ChangeFeed<T> feed, Func<T, Task> onNext, Func<bool>? wanted)
        {
            _feed = feed;
            _wanted = wanted;
            _buffer = Channel.CreateBounded<T>(
                new BoundedChannelOptions(feed._bufferPerSubscriber) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ =>
                {
                    Interlocked.Increment(ref feed._dropped);
                    feed._tracker?.End();
                });
            _pump = Task.Run(() => PumpAsync(onNext));
        }

        public void Deliver(T item)
        {
            if (_wanted is not null && !_wanted())
            {
                return;
            }

            _feed._tracker?.Begin();
            if (!_buffer.Writer.TryWrite(item))
            {
                _feed._tracker?.End();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _feed.Remove(this);
            _buffer.Writer.TryComplete();
            await _pump.ConfigureAwait(false);
        }

        private async Task PumpAsync(Func<T, Task> onNext)
        {
            await foreach (T item in _buffer.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    await onNext(item).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _feed._logger.LogWarning(e, "A subscriber of the {Feed} feed failed on an item", _feed.Name);
                }
                finally
                {
                    _feed._tracker?.End();
                }
            }
        }
    }
}
