namespace CityTwin.Grains.Twin;

/// <summary>
/// Registered only in a fork's silo (a forecast, drill or replay): the fork's sensors are simulated, so their silence is
/// not a fault (no offline or welfare alerts), and the open cases carried over from the live twin are frozen (no SLA
/// clock, no escalation) unless the scenario asks for their clocks to run (<see cref="Thaw"/>).
/// </summary>
public sealed class ForkMode
{
    private readonly Lock _lock = new();
    private HashSet<string> _frozen = new(StringComparer.Ordinal);

    /// <summary>The carried-over cases still frozen.</summary>
    public IReadOnlyCollection<string> Frozen
    {
        get
        {
            lock (_lock)
            {
                return [.. _frozen];
            }
        }
    }

    /// <summary>Freezes the cases <paramref name="caseIds"/> (the open cases the fork started with).</summary>
    public void Freeze(IEnumerable<string> caseIds)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        lock (_lock)
        {
            _frozen = new HashSet<string>(caseIds, StringComparer.Ordinal);
        }
    }

    /// <summary>Lets the frozen cases' SLA clocks run (the scenario asked for it); returns the cases that were frozen.</summary>
    public IReadOnlyCollection<string> Thaw()
    {
        lock (_lock)
        {
            string[] thawed = [.. _frozen];
            _frozen = new HashSet<string>(StringComparer.Ordinal);
            return thawed;
        }
    }

    /// <summary>True when <paramref name="caseId"/> is a carried-over case whose clock is stopped.</summary>
    public bool IsFrozen(string caseId)
    {
        lock (_lock)
        {
            return _frozen.Contains(caseId);
        }
    }
}
