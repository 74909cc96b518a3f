namespace CityTwin.Silo.Streams;

/// <summary>A live subscription; dispose or unsubscribe to stop deliveries.</summary>
public sealed class StreamSubscriptionHandle : IAsyncDisposable
{
    private readonly Func<Task> _unsubscribe;
    private int _done;

    internal StreamSubscriptionHandle(Func<Task> unsubscribe) => _unsubscribe = unsubscribe;

    /// <summary>Stops deliveries to this subscription.</summary>
    public Task UnsubscribeAsync() => Interlocked.Exchange(ref _done, 1) == 0 ? _unsubscribe() : Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await UnsubscribeAsync();
}
