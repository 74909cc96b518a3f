namespace CityTwin.Silo.Storage;

/// <summary>Thread-safe counters a storage provider or event log keeps about itself.</summary>
public sealed class StorageStatistics
{
    private long _writes;
    private long _batches;
    private long _reads;
    private long _readBatches;
    private long _failures;
    private long _writeLatencyTicks;

    /// <summary>Records a committed batch of <paramref name="items"/> writes that took <paramref name="elapsed"/>.</summary>
    public void RecordBatch(int items, TimeSpan elapsed)
    {
        Interlocked.Add(ref _writes, items);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writeLatencyTicks, elapsed.Ticks);
    }

    /// <summary>Records one read.</summary>
    public void RecordRead() => Interlocked.Increment(ref _reads);

    /// <summary>Records <paramref name="items"/> reads answered by one round trip.</summary>
    public void RecordReadBatch(int items)
    {
        Interlocked.Add(ref _reads, items);
        Interlocked.Increment(ref _readBatches);
    }

    /// <summary>Records a failed batch or operation.</summary>
    public void RecordFailure() => Interlocked.Increment(ref _failures);

    /// <summary>Items written so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Round trips (batches) so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Reads so far.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Round trips that answered reads so far (batched readers only).</summary>
    public long ReadBatches => Interlocked.Read(ref _readBatches);

    /// <summary>Failures so far.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Mean time per batch round trip.</summary>
    public TimeSpan MeanBatchLatency
    {
        get
        {
            long batches = Batches;
            return batches == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _writeLatencyTicks) / batches);
        }
    }
}
