using CityTwin.Silo.Storage;

namespace CityTwin.Silo.EventLog;

/// <summary>
/// The append front end the database logs share: checks and copies a caller's entries, numbers them in submission
/// order, queues them for the log's batch writer, and completes when the batch holding them has committed.
/// </summary>
/// <typeparam name="TRow">An entry as the log's writer stores it.</typeparam>
internal sealed class EventLogQueue<TRow> : IAsyncDisposable
{
    private readonly string _name;
    private readonly Func<EventAppend, TRow> _toRow;
    private readonly BatchWriter<PendingAppend<TRow>> _writer;
    private long _nextOrdinal;
    private volatile bool _started;

    /// <summary>Starts the writer loops; appends are refused until <see cref="Start"/>.</summary>
    /// <param name="name">The log's name in error messages, e.g. "postgres event log".</param>
    /// <param name="toRow">Converts (and copies) one validated entry; runs on the caller's thread.</param>
    /// <param name="commitAsync">Commits one batch and settles each item; throwing fails every unsettled item.</param>
    /// <param name="maxBatchRows">Upper bound of rows per commit.</param>
    /// <param name="capacity">Queued appends before callers wait.</param>
    /// <param name="statistics">Failures are counted here.</param>
    /// <param name="writers">Batches committed side by side (each on its own connection).</param>
    public EventLogQueue(string name, Func<EventAppend, TRow> toRow, Func<List<PendingAppend<TRow>>, Task> commitAsync, int maxBatchRows, int capacity, StorageStatistics statistics, int writers = 1)
    {
        _name = name;
        _toRow = toRow;
        _writer = new BatchWriter<PendingAppend<TRow>>(
            name,
            commitAsync,
            static (item, ex) => item.Completion.TrySetException(ex),
            static item => item.Rows.Length,
            maxBatchRows,
            capacity,
            statistics,
            writers);
    }

    /// <summary>Accepts appends from now on (call once the schema exists).</summary>
    public void Start() => _started = true;

    /// <summary>Validates, numbers and queues <paramref name="entries"/>; completes when they are committed (all or none), with their seqs.</summary>
    public async Task<long[]> AppendAsync(IReadOnlyList<EventAppend> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!_started)
        {
            throw new InvalidOperationException($"The {_name} is not initialized: InitializeAsync must complete before the first append.");
        }

        if (entries.Count == 0)
        {
            return [];
        }

        TRow[] rows = new TRow[entries.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            // Validated and copied now: one malformed entry fails only its own caller, and the caller's buffers are
            // not ours to hold while the batch waits.
            EventLogValidation.Validate(entries[i]);
            rows[i] = _toRow(entries[i]);
        }

        // Numbered when submitted, so a caller's later append always sorts after its earlier one, whichever batch
        // commits first.
        long first = Interlocked.Add(ref _nextOrdinal, rows.Length) - rows.Length;
        PendingAppend<TRow> pending = new(rows, first);
        await _writer.EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Stops accepting appends and commits everything already queued.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
