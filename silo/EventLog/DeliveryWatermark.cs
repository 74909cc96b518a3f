namespace CityTwin.Silo.EventLog;

/// <summary>
/// The low watermark of delivery: every input logged through this silo with a seq at or below <see cref="Low"/> has
/// been applied by its grain. An ingest path registers a batch before it appends it (<see cref="Begin"/>) and ends it
/// once its grains applied it (<see cref="End"/>); a checkpoint that starts at watermark W and writes every changed state
/// makes the stored twin reflect every input up to W, so a restart replays the log only after W.
/// </summary>
/// <remarks>
/// A batch registered before its append gets seqs above every seq known at that moment (seqs ascend in submission
/// order), so the watermark never passes an input still on its way. One silo's view: in a cluster each silo has its own,
/// numbered from its own leases of seqs, so the low of one silo says nothing of inputs logged through another. There the
/// replay mark is the least of every silo's <see cref="ClusterLow"/>, and deliveries carry the mark
/// (<see cref="DeliveryLow"/>), which holds for every input of the cluster, whichever silo logged it.
/// </remarks>
/// <param name="clustered">True for a silo of a cluster: <see cref="DeliveryLow"/> is then the cluster's replay mark.</param>
public sealed class DeliveryWatermark(bool clustered = false)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, long> _floors = [];
    private long _highest;
    private long _nextToken;
    private long _clusterMark;
    private bool _appended;

    /// <summary>True for a silo of a cluster.</summary>
    public bool Clustered => clustered;

    /// <summary>
    /// The seq to send with a delivery: every logged input at or below it is applied by its grain. One silo's own
    /// <see cref="Low"/>; in a cluster the replay mark (every input at or below it is even stored), because another silo's
    /// inputs may still be on their way below this silo's low, or lost with a silo that died, until the log is replayed.
    /// </summary>
    public long DeliveryLow => clustered ? Interlocked.Read(ref _clusterMark) : Low;

    /// <summary>
    /// This silo's low for the cluster's replay mark, or null when it has logged no input since it started. Then its low
    /// is the highest seq its log has numbered other entries with (<see cref="PostgresEventLog.HighestNumbered"/>: its
    /// next input is numbered above it, maybe in a lease it already holds), or, if it has logged nothing at all, the seq
    /// below every lease not yet taken (<see cref="PostgresEventLog.BelowUntakenLeasesAsync"/>, read before the silos are
    /// asked).
    /// </summary>
    public long? ClusterLow
    {
        get
        {
            lock (_lock)
            {
                return _appended || _floors.Count > 0 ? Low : null;
            }
        }
    }

    /// <summary>Raises the replay mark known to this silo (a cluster's silos learn it from the silo that moves it).</summary>
    public void RaiseClusterMark(long mark) => AtomicMax.Raise(ref _clusterMark, mark);

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
            _appended |= highestSeq > 0;
        }
    }
}
