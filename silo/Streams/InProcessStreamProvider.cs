using System.Collections.Concurrent;
using System.Threading.Channels;
using CityTwin.Silo.Runtime;
using Microsoft.Extensions.Logging;

namespace CityTwin.Silo.Streams;

/// <summary>
/// Publish/subscribe within one silo. External subscribers get a bounded buffer each (oldest items are dropped and
/// counted when a subscriber falls behind, so a slow consumer cannot grow memory or stall grains); grain subscribers
/// get items as turns of their activation.
/// </summary>
internal sealed class InProcessStreamProvider(Silo silo) : IStreamProvider
{
    private readonly ConcurrentDictionary<StreamId, ImmutableSubscriberList> _byStream = new();
    private readonly ConcurrentDictionary<string, ImmutableSubscriberList> _byNamespace = new();
    private long _dropped;

    private ILogger Logger => silo.Logger;

    public long DroppedItems => Interlocked.Read(ref _dropped);

    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new Stream<T>(this, streamId);

    public Task<StreamSubscriptionHandle> SubscribeNamespaceAsync<T>(string streamNamespace, Func<T, StreamId, Task> onNext)
    {
        Subscriber sub = CreateSubscriber(onNext);
        _byNamespace.AddOrUpdate(streamNamespace, _ => new([sub]), (_, l) => l.Add(sub));
        return Task.FromResult(new StreamSubscriptionHandle(() =>
        {
            _byNamespace.AddOrUpdate(streamNamespace, _ => new([]), (_, l) => l.Remove(sub));
            sub.Close();
            return Task.CompletedTask;
        }));
    }

    private Task<StreamSubscriptionHandle> Subscribe<T>(StreamId id, Func<T, StreamId, Task> onNext)
    {
        Subscriber sub = CreateSubscriber(onNext);
        _byStream.AddOrUpdate(id, _ => new([sub]), (_, l) => l.Add(sub));
        return Task.FromResult(new StreamSubscriptionHandle(() =>
        {
            _byStream.AddOrUpdate(id, _ => new([]), (_, l) => l.Remove(sub));
            sub.Close();
            return Task.CompletedTask;
        }));
    }

    private Subscriber CreateSubscriber<T>(Func<T, StreamId, Task> onNext)
    {
        Func<object?, StreamId, Task> handler = (item, id) => item is T typed ? onNext(typed, id) : Task.CompletedTask;
        return TaskScheduler.Current is ActivationData activation
            ? new GrainSubscriber(silo, activation, handler)
            : new ExternalSubscriber(this, handler, silo.Options.StreamBufferPerSubscriber);
    }

    private void Publish(StreamId id, object? item)
    {
        if (_byStream.TryGetValue(id, out ImmutableSubscriberList? subs))
        {
            foreach (Subscriber s in subs.Items)
            {
                s.Deliver(item, id);
            }
        }

        if (_byNamespace.TryGetValue(id.Namespace, out ImmutableSubscriberList? nsSubs))
        {
            foreach (Subscriber s in nsSubs.Items)
            {
                s.Deliver(item, id);
            }
        }
    }

    private sealed class Stream<T>(InProcessStreamProvider provider, StreamId id) : IAsyncStream<T>
    {
        public StreamId StreamId => id;

        public Task OnNextAsync(T item)
        {
            provider.Publish(id, item);
            return Task.CompletedTask;
        }

        public Task<StreamSubscriptionHandle> SubscribeAsync(Func<T, StreamId, Task> onNext) => provider.Subscribe(id, onNext);
    }

    // Copy-on-write list: publishing (frequent) reads without locks; subscribing (rare) copies.
    private sealed class ImmutableSubscriberList(Subscriber[] items)
    {
        public Subscriber[] Items { get; } = items;

        public ImmutableSubscriberList Add(Subscriber s) => new([.. Items, s]);

        public ImmutableSubscriberList Remove(Subscriber s) => new(Items.Where(x => x != s).ToArray());
    }

    private abstract class Subscriber
    {
        public abstract void Deliver(object? item, StreamId id);

        public abstract void Close();
    }

    private sealed class ExternalSubscriber : Subscriber
    {
        private readonly Channel<(object? Item, StreamId Id)> _buffer;

        public ExternalSubscriber(InProcessStreamProvider provider, Func<object?, StreamId, Task> handler, int capacity)
        {
            _buffer = Channel.CreateBounded<(object?, StreamId)>(
                new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Interlocked.Increment(ref provider._dropped));
            _ = Task.Run(async () =>
            {
                await foreach ((object? item, StreamId id) in _buffer.Reader.ReadAllAsync())
                {
                    try
                    {
                        await handler(item, id);
                    }
                    catch (Exception e)
                    {
                        provider.Logger.LogWarning(e, "Stream subscriber failed on {Stream}", id);
                    }
                }
            });
        }

        public override void Deliver(object? item, StreamId id) => _buffer.Writer.TryWrite((item, id));

        public override void Close() => _buffer.Writer.TryComplete();
    }

    private sealed class GrainSubscriber(Silo silo, ActivationData activation, Func<object?, StreamId, Task> handler) : Subscriber
    {
        private volatile bool _closed;

        public override void Deliver(object? item, StreamId id)
        {
            if (!_closed)
            {
                silo.SendToActivation(activation, new Delivery(handler, item, id));
            }
        }

        public override void Close() => _closed = true;

        private sealed class Delivery(Func<object?, StreamId, Task> handler, object? item, StreamId id) : Message
        {
            private int _done;

            public override bool BoundToActivation => true;

            public override bool HasCaller => false;

            public override bool IsAnswered => Volatile.Read(ref _done) != 0;

            public override string Describe() => $"stream item from {id}";

            public override Task Invoke(Grain grain) => handler(item, id);

            public override void Complete(Task invoked) => Volatile.Write(ref _done, 1);

            public override void Fail(Exception error) => Volatile.Write(ref _done, 1);
        }
    }
}
