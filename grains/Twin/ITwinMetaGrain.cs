using Orleans;

namespace CityTwin.Grains.Twin;

/// <summary>Holds the <see cref="DistrictMeta"/> of the twin (key "current").</summary>
public interface ITwinMetaGrain : IGrainWithStringKey
{
    /// <summary>The loaded district's meta data, or null when no district was loaded.</summary>
    Task<DistrictMeta?> GetAsync();

    /// <summary>Records the loaded district (written to storage at once).</summary>
    Task SetAsync(DistrictMeta meta);
}
