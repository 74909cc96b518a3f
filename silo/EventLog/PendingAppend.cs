namespace CityTwin.Silo.EventLog;

/// <summary>One caller's entries as the log stores them, the number of the first, and the caller's completion source.</summary>
/// <typeparam name="TRow">An entry as the log's writer stores it.</typeparam>
internal sealed class PendingAppend<TRow>
{
    public PendingAppend(TRow[] rows, long firstOrdinal)
    {
        Rows = rows;
        FirstOrdinal = firstOrdinal;
    }

    /// <summary>The entries, copied and converted when submitted.</summary>
    public TRow[] Rows { get; }

    /// <summary>The submission number of <c>Rows[0]</c>; the others follow it without gaps.</summary>
    public long FirstOrdinal { get; }

    /// <summary>Settled by the writer once the batch holding these rows has committed (with each row's seq) or failed.</summary>
    public TaskCompletionSource<long[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
