using CityTwin.Grains.Model;

namespace CityTwin.Grains.Twin;

/// <summary>
/// One entity's place in the <see cref="TwinDirectory"/>: the spatial index and membership lists hold this object, and
/// the entity's grain swaps in its latest <see cref="Summary"/> with one write, so a query reaches the current summary
/// without a lookup by id and an update never touches the index unless the entity moved.
/// </summary>
public sealed class TwinEntry
{
    private EntitySummary _summary;

    internal TwinEntry(EntitySummary summary) => _summary = summary;

    /// <summary>The entity's latest summary.</summary>
    public EntitySummary Summary => Volatile.Read(ref _summary);

    internal void Set(EntitySummary summary) => Volatile.Write(ref _summary, summary);
}
