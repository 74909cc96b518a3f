namespace CityTwin.Silo.Storage;

/// <summary>
/// The group-commit queues of <see cref="BatchedGrainStorage"/> over one database: grain-state reads and writes wait in
/// bounded queues (<see cref="BatchWriter{T}"/>) and each batch is one round trip, written by the vendor's subclass
/// (<see cref="PostgresStateBatches"/>, <see cref="SqliteStateBatches"/>) with its SQL from silo/Sql/&lt;vendor&gt;/.
/// </summary>
internal abstract class StateBatches : IAsyncDisposable
{
    // Queued requests before callers wait; a district load activates tens of thousands of grains at once.
    private const int Capacity = 100_000;

    // A write weighs one, plus one per full 4 KB of payload, so a batch of large states (long case audit trails) stays a
    // few megabytes rather than a thousand times the largest state.
    private const int BytesPerWeight = 4_096;

    private readonly BatchWriter<PendingRead> _reads;
    private readonly BatchWriter<PendingWrite>[] _writes;
    private int _disposed;

    /// <summary>Starts the reader loops and one writer loop per write shard.</summary>
    /// <param name="name">The storage's name in error messages.</param>
    /// <param name="readLoops">Read batches run side by side.</param>
    /// <param name="writeShards">
    /// Write batches run side by side, one loop per shard; a key always goes to the same shard, so two writes of one state
    /// never commit concurrently or out of order, and concurrent batches never wait on each other's row locks.
    /// </param>
    /// <param name="maxReadBatch">Reads per round trip at most.</param>
    /// <param name="maxWriteBatch">Writes per round trip at most (a write of more than 4 KB counts as several).</param>
    protected StateBatches(string name, int readLoops, int writeShards, int maxReadBatch, int maxWriteBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writeShards, 1);
        _reads = new BatchWriter<PendingRead>(
            name + " reads", CommitReadsAsync, static (item, ex) => item.Completion.TrySetException(ex), static _ => 1, maxReadBatch, Capacity, Statistics, readLoops);
        _writes = new BatchWriter<PendingWrite>[writeShards];
        for (int i = 0; i < writeShards; i++)
        {
            _writes[i] = new BatchWriter<PendingWrite>(
                name + " writes", CommitWritesAsync, static (item, ex) => item.Completion.TrySetException(ex), WriteWeight, maxWriteBatch, Capacity, Statistics);
        }
    }

    /// <summary>Round trips and items so far: <see cref="StorageStatistics.Batches"/> counts write statements (or transactions), <see cref="StorageStatistics.ReadBatches"/> read ones.</summary>
    public StorageStatistics Statistics { get; } = new();

    /// <summary>
    /// Queues a read of <paramref name="key"/>; completes with its row, or null when there is none. The request is queued
    /// before this returns unless the queue is full; cancellation applies only until then.
    /// </summary>
    public async Task<StoredStateRow?> ReadAsync(StateRowKey key, CancellationToken cancellationToken)
    {
        Validate(key);
        PendingRead read = new(key);
        await _reads.EnqueueAsync(read, cancellationToken).ConfigureAwait(false);
        return await read.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Queues a write of <paramref name="payload"/> to <paramref name="key"/>'s row, guarded by <paramref name="expectedVersion"/>
    /// (null: no row was read); completes with the new version once committed, or null when the version was stale.
    /// </summary>
    public async Task<int?> WriteAsync(StateRowKey key, byte[] payload, int? expectedVersion, CancellationToken cancellationToken)
    {
        Validate(key);
        PendingWrite write = new(key, payload, expectedVersion);
        await _writes[(int)((uint)key.GrainIdHash % (uint)_writes.Length)].EnqueueAsync(write, cancellationToken).ConfigureAwait(false);
        return await write.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Stops accepting requests, commits everything already queued, then stops the loops.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _reads.DisposeAsync().ConfigureAwait(false);
        foreach (BatchWriter<PendingWrite> writer in _writes)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int WriteWeight(PendingWrite write) => 1 + (write.Payload.Length / BytesPerWeight);

    /// <summary>Answers one batch of reads in one round trip and settles each (its row or null).</summary>
    internal abstract Task CommitReadsAsync(List<PendingRead> batch);

    /// <summary>Commits one batch of writes and settles each (its new version, or null when stale) once committed.</summary>
    internal abstract Task CommitWritesAsync(List<PendingWrite> batch);

    /// <summary>Refuses a key the database cannot store, so that it fails its own caller rather than a whole batch.</summary>
    protected virtual void Validate(StateRowKey key)
    {
    }

    /// <summary>A queued read and its caller's completion source.</summary>
    internal sealed class PendingRead(StateRowKey key)
    {
        /// <summary>The row to read.</summary>
        public StateRowKey Key { get; } = key;

        /// <summary>Settled with the row found, or null.</summary>
        public TaskCompletionSource<StoredStateRow?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A queued write and its caller's completion source.</summary>
    internal sealed class PendingWrite(StateRowKey key, byte[] payload, int? expectedVersion)
    {
        /// <summary>The row to write.</summary>
        public StateRowKey Key { get; } = key;

        /// <summary>The serialized state, taken when the write was asked for.</summary>
        public byte[] Payload { get; } = payload;

        /// <summary>The version the grain read (its ETag), or null when it read no row.</summary>
        public int? ExpectedVersion { get; } = expectedVersion;

        /// <summary>Settled with the new version once committed, or null when the expected version was stale.</summary>
        public TaskCompletionSource<int?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
