using System.Collections.Concurrent;
using CityTwin.Silo.Streams;

namespace CityTwin.Silo.Tests.Runtime;

/// <summary>In-process streams for live changes.</summary>
public sealed class StreamTests
{
    [Fact]
    public async Task External_and_namespace_subscribers_receive_items_in_order()
    {
        var (silo, _) = await TestSilo.StartAsync();
        await using var _s = silo;
        var byStream = new ConcurrentQueue<string>();
        var byNamespace = new ConcurrentQueue<string>();
        await silo.Streams.GetStream<string>(StreamId.Create("notes", "p1")).SubscribeAsync((s, _) => { byStream.Enqueue(s); return Task.CompletedTask; });
        StreamSubscriptionHandle ns = await silo.Streams.SubscribeNamespaceAsync<string>("notes", (s, id) => { byNamespace.Enqueue($"{id.Key}:{s}"); return Task.CompletedTask; });

        for (int i = 0; i < 100; i++)
        {
            await silo.GrainFactory.GetGrain<IPublisherGrain>(i % 2 == 0 ? "p1" : "p2").PublishAsync($"n{i}");
        }

        await TurnBasedExecutionTests.WaitUntil(() => byStream.Count == 50 && byNamespace.Count == 100);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"n{i * 2}"), byStream);

        await ns.UnsubscribeAsync();
        await silo.GrainFactory.GetGrain<IPublisherGrain>("p1").PublishAsync("after");
        await TurnBasedExecutionTests.WaitUntil(() => byStream.Count == 51);
        Assert.Equal(100, byNamespace.Count);
    }

    [Fact]
    public async Task A_grain_subscriber_receives_items_as_turns_of_its_activation()
    {
        var (silo, _) = await TestSilo.StartAsync();
        await using var _s = silo;
        IPublisherGrain listener = silo.GrainFactory.GetGrain<IPublisherGrain>("listener");
        await listener.SubscribeToAsync("source");

        await silo.GrainFactory.GetGrain<IPublisherGrain>("source").PublishAsync("hello");
        await silo.GrainFactory.GetGrain<IPublisherGrain>("source").PublishAsync("world");
        await silo.WaitForQuiescenceAsync();

        Assert.Equal(["hello", "world"], await listener.ReceivedAsync());
    }
}
