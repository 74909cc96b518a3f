namespace CityTwin.Silo.EventLog;

/// <summary>
/// The append-only, ordered, durable log of inputs. An append's task completes only after the append is
/// committed; concurrent appends are batched into one round trip.
/// </summary>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>Creates the schema if it is missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends one input; completes when it is committed, with its seq.</summary>
    Task<long> AppendAsync(EventAppend entry, CancellationToken cancellationToken = default);

    /// <summary>Appends several inputs in order; completes when all are committed (all or none), with each one's seq (ascending, not necessarily dense).</summary>
    Task<long[]> AppendBatchAsync(IReadOnlyList<EventAppend> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads the inputs of <paramref name="kind"/> with a seq above <paramref name="afterSequence"/>, in sequence order (replay after a crash).</summary>
    IAsyncEnumerable<EventRecord> ReadAfterAsync(long afterSequence, string kind, CancellationToken cancellationToken = default);

    /// <summary>Reads inputs with <c>from &lt;= At &lt; to</c>, optionally of one kind and key, in sequence order.</summary>
    IAsyncEnumerable<EventRecord> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? kind = null, string? key = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the <paramref name="count"/> latest records of <paramref name="kind"/>, in sequence order (e.g. the recent
    /// alerts a restarting silo shows again). Meant for kinds that are few among the log's records.
    /// </summary>
    IAsyncEnumerable<EventRecord> ReadLatestAsync(string kind, int count, CancellationToken cancellationToken = default);

    /// <summary>Counts stored inputs (all, or of one kind).</summary>
    Task<long> CountAsync(string? kind = null, CancellationToken cancellationToken = default);

    /// <summary>Counters for the silo's statistics.</summary>
    Storage.StorageStatistics Statistics { get; }
}
