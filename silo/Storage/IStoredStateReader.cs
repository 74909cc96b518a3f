namespace CityTwin.Silo.Storage;

/// <summary>
/// Lists stored grain states without activating grains: the read model is rebuilt from it at restart and forks are
/// seeded from it. States are streamed, so a million rows never sit in one list.
/// </summary>
public interface IStoredStateReader
{
    /// <summary>
    /// Every stored state of grains of <paramref name="grainType"/> (every state name), in no particular order;
    /// cleared states are left out.
    /// </summary>
    IAsyncEnumerable<StoredState> ReadAllAsync(string grainType, CancellationToken cancellationToken = default);
}
