namespace CityTwin.Silo.Streams;

/// <summary>Creates stream handles and namespace-wide subscriptions (Orleans: IStreamProvider).</summary>
public interface IStreamProvider
{
    /// <summary>A handle on one stream.</summary>
    IAsyncStream<T> GetStream<T>(StreamId streamId);

    /// <summary>Subscribes to every stream of a namespace, whatever its key (for push gateways and aggregators).</summary>
    Task<StreamSubscriptionHandle> SubscribeNamespaceAsync<T>(string streamNamespace, Func<T, StreamId, Task> onNext);

    /// <summary>Items dropped because a subscriber's buffer was full.</summary>
    long DroppedItems { get; }
}
