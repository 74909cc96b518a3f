namespace CityTwin.Silo.EventLog;

/// <summary>
/// The low watermark of delivery: every input logged through this silo with a seq at or below <see cref="Low"/> has
/// been applied by its grain. An ingest path registers a batch before it appends it (<see cref="Begin"/>) and ends it
/// once its grains applied it (<see cref="End"/>); a checkpoint that starts at watermark W and writes every changed state
/// makes the stored twin reflect every input up to W, so a restart replays the log only after W.
/// </summary>
/// <remarks>
/// A batch registered before its append gets seqs above every seq known at that moment (seqs ascend in submission
/// order), so the watermark never passes an input still on its way. One silo's view: in a cluster each silo has its own.
/// </remarks>
public sealed class DeliveryWatermark
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, long> _floors = [];
    private long _highest;
    private long _nextToken;

    /// <summary>Every input at or below this seq has been applied by its grain.</summary>
    public long Low
    {
        get
        {
            lock (_lock)
            {
                long low = _highest;
                foreach (long floor in _floors.Values)
                {
                    low = Math.Min(low, floor);
                }

                return low;
            }
        }
    }

    /// <summary>Sets the watermark at start-up, once everything logged up to <paramref name="seq"/> has been applied (after the replay).</summary>
    public void Start(long seq)
    {
        lock (_lock)
        {
            _highest = Math.Max(_highest, seq);
        }
    }

    /// <summary>Registers a batch about to be appended; returns its token.</summary>
    public long Begin()
    {
        lock (_lock)
        {
            long token = ++_nextToken;
            _floors[token] = _highest;
            return token;
        }
    }

    /// <summary>Ends a batch: applied (or given up) up to seq <paramref name="highestSeq"/>; 0 when its append failed.</summary>
    public void End(long token, long highestSeq)
    {
        lock (_lock)
        {
            _floors.Remove(token);
            _highest = Math.Max(_highest, highestSeq);
        }
    }
}
