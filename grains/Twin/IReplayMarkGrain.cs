using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>
/// Where a restart's replay of the event log starts (key "live"): every input at or below the mark is reflected in the
/// stored states. Advanced after each completed checkpoint.
/// </summary>
public interface IReplayMarkGrain : IGrainWithStringKey
{
    /// <summary>The key of the live twin's mark.</summary>
    const string Live = "live";

    /// <summary>The seq replay starts after (0: from the beginning of the log).</summary>
    Task<long> GetAsync();

    /// <summary>Moves the mark up to <paramref name="through"/> (never down) and stores it before completing.</summary>
    Task AdvanceAsync(long through);
}
