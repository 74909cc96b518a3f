using System.Diagnostics;
using System.Runtime.CompilerServices;
using CityTwin.Silo.Storage;

namespace CityTwin.Silo.EventLog;

/// <summary>An event log held in process memory (tests, forks and sandboxes); every instance is independent.</summary>
public sealed class MemoryEventLog : IEventLog
{
    private readonly Lock _lock = new();
    private readonly List<EventRecord> _records = new();

    /// <inheritdoc />
    public StorageStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task<long> AppendAsync(EventAppend entry, CancellationToken cancellationToken = default) => (await AppendBatchAsync([entry], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public Task<long[]> AppendBatchAsync(IReadOnlyList<EventAppend> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        long started = Stopwatch.GetTimestamp();
        foreach (EventAppend entry in entries)
        {
            EventLogValidation.Validate(entry);
        }

        // Sequence numbers are assigned under the lock, so they ascend in append order.
        var sequences = new long[entries.Count];
        lock (_lock)
        {
            for (int i = 0; i < entries.Count; i++)
            {
                EventAppend entry = entries[i];
                sequences[i] = _records.Count + 1;
                _records.Add(new EventRecord(sequences[i], entry.At, entry.Kind, entry.Key, entry.Payload.ToArray()));
            }
        }

        Statistics.RecordBatch(entries.Count, Stopwatch.GetElapsedTime(started));
        return Task.FromResult(sequences);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? kind = null, string? key = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<EventRecord> matches;
        lock (_lock)
        {
            matches = _records
                .Where(record => record.At >= from && record.At < to && (kind is null || record.Kind == kind) && (key is null || record.Key == key))
                .ToList();
        }

        await foreach (EventRecord record in CopiesAsync(matches, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadAfterAsync(long afterSequence, string kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<EventRecord> matches;
        lock (_lock)
        {
            // Seq n is at index n - 1.
            matches = _records.Skip((int)Math.Clamp(afterSequence, 0, _records.Count)).Where(record => record.Kind == kind).ToList();
        }

        await foreach (EventRecord record in CopiesAsync(matches, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<EventRecord> ReadLatestAsync(string kind, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        List<EventRecord> matches;
        lock (_lock)
        {
            matches = _records.Where(record => record.Kind == kind).TakeLast(count).ToList();
        }

        await foreach (EventRecord record in CopiesAsync(matches, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    private async IAsyncEnumerable<EventRecord> CopiesAsync(List<EventRecord> matches, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (EventRecord record in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Statistics.RecordRead();

            // A copy, so a reader mutating its payload cannot rewrite history.
            yield return record with { Payload = (byte[])record.Payload.Clone() };
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> CountAsync(string? kind = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(kind is null ? _records.Count : (long)_records.Count(record => record.Kind == kind));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
