namespace CityTwin.Silo.EventLog;

/// <summary>
/// Which event-log inputs a write-behind grain's state already reflects, kept in that state: a replay after a crash and
/// a delivery sent twice then apply each input exactly once. Every input of the grain with a seq at or below
/// <see cref="Through"/> is reflected, and so are those listed in <see cref="Above"/> (applied while older inputs were
/// still on their way, so the list stays short).
/// </summary>
public sealed class AppliedInputs
{
    /// <summary>Every input of this grain with a seq at or below this one is reflected in the state.</summary>
    public long Through { get; set; }

    /// <summary>Inputs above <see cref="Through"/> that are reflected as well.</summary>
    public List<long> Above { get; set; } = [];

    /// <summary>
    /// Records that the input <paramref name="seq"/> is being applied, given that every input of this grain at or below
    /// <paramref name="low"/> already is; false when the state already reflects it (skip it). An input not from the log
    /// (seq 0: a fork's or a drill's own) is always applied.
    /// </summary>
    public bool TryApply(long seq, long low)
    {
        if (seq <= 0)
        {
            return true;
        }

        if (low > Through)
        {
            Through = low;
            Above.RemoveAll(s => s <= low);
        }

        if (seq <= Through || Above.Contains(seq))
        {
            return false;
        }

        Above.Add(seq);
        return true;
    }
}
