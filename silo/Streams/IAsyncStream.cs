namespace CityTwin.Silo.Streams;

/// <summary>An in-process stream of items (Orleans: IAsyncStream&lt;T&gt;).</summary>
public interface IAsyncStream<T>
{
    /// <summary>The stream's identity.</summary>
    StreamId StreamId { get; }

    /// <summary>Publishes an item to every subscriber; completes once it is queued for each of them.</summary>
    Task OnNextAsync(T item);

    /// <summary>
    /// Subscribes. Called from a grain, items are delivered as turns of that grain while its activation lives;
    /// called from elsewhere, items are delivered in order on the thread pool.
    /// </summary>
    Task<StreamSubscriptionHandle> SubscribeAsync(Func<T, StreamId, Task> onNext);
}
