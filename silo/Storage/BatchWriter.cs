using System.Diagnostics;
using System.Threading.Channels;

namespace CityTwin.Silo.Storage;

/// <summary>
/// A background writer that drains a bounded queue and commits whatever has accumulated in one round trip
/// (group commit). Callers wait on their own completion source, which the commit delegate settles. With more than
/// one writer loop, loops take batches from the same queue side by side, so one batch's commit overlaps the next.
/// </summary>
/// <typeparam name="T">A pending operation that carries its own completion source.</typeparam>
internal sealed class BatchWriter<T> : IAsyncDisposable
    where T : class
{
    private readonly Channel<T> _channel;
    private readonly Func<List<T>, Task> _commitAsync;
    private readonly Action<T, Exception> _fail;
    private readonly Func<T, int> _weight;
    private readonly int _maxBatchWeight;
    private readonly StorageStatistics _statistics;
    private readonly string _name;
    private readonly Task[] _loops;
    private int _disposed;

    /// <summary>Starts the writer loops.</summary>
    /// <param name="name">Provider name used in error messages.</param>
    /// <param name="commitAsync">Commits one batch and settles each item; throwing fails every unsettled item.</param>
    /// <param name="fail">Faults one item's completion source.</param>
    /// <param name="weight">Rows an item contributes to a batch.</param>
    /// <param name="maxBatchWeight">Upper bound of rows per round trip.</param>
    /// <param name="capacity">Queued items before callers wait (back-pressure rather than unbounded memory).</param>
    /// <param name="statistics">Failures are counted here.</param>
    /// <param name="loops">Writer loops; above 1, <paramref name="commitAsync"/> runs concurrently and batches may commit out of queue order.</param>
    public BatchWriter(string name, Func<List<T>, Task> commitAsync, Action<T, Exception> fail, Func<T, int> weight, int maxBatchWeight, int capacity, StorageStatistics statistics, int loops = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loops, 1);
        _name = name;
        _commitAsync = commitAsync;
        _fail = fail;
        _weight = weight;
        _maxBatchWeight = maxBatchWeight;
        _statistics = statistics;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = loops == 1,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loops = new Task[loops];
        for (int i = 0; i < loops; i++)
        {
            _loops[i] = Task.Run(RunAsync);
        }
    }

    /// <summary>Queues an item; waits only when the queue is full. Cancellation applies only until the item is queued.</summary>
    public async ValueTask EnqueueAsync(T item, CancellationToken cancellationToken)
    {
        // Fast path avoids the async state machine when there is room, which is the common case.
        if (_channel.Writer.TryWrite(item))
        {
            return;
        }

        try
        {
            await _channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException($"The {_name} writer has been disposed.", ex);
        }
    }

    private async Task RunAsync()
    {
        ChannelReader<T> reader = _channel.Reader;
        List<T> batch = new();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int weight = 0;
            while (weight < _maxBatchWeight && reader.TryRead(out T? item))
            {
                batch.Add(item);
                weight += _weight(item);
            }

            try
            {
                await _commitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The whole round trip failed (connection lost, disk full): nothing was committed, so every
                // caller in it learns so; the loop itself keeps running for later writes.
                _statistics.RecordFailure();
                foreach (T item in batch)
                {
                    _fail(item, ex);
                }

                Trace.TraceError("{0} batch of {1} failed: {2}", _name, batch.Count, ex.Message);
            }

            batch.Clear();
        }
    }

    /// <summary>Stops accepting items, commits everything already queued, then stops the loops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _channel.Writer.TryComplete();
        }

        await Task.WhenAll(_loops).ConfigureAwait(false);
    }
}
