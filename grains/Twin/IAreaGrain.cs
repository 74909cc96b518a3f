using CityTwin.Grains.Model;
using Orleans.Concurrency;

namespace CityTwin.Grains.Twin;

/// <summary>An area (district, street, community or grid) of the twin: its polygon, its staff and its alert counters.</summary>
public interface IAreaGrain : ITwinEntityGrain
{
    /// <summary>Sets the static description (first load of a district); keeps live state when already initialised.</summary>
    Task InitializeAsync(AreaDefinition definition);

    /// <summary>The people responsible for the area (empty when the area was never initialised).</summary>
    Task<Contact[]> GetStaffAsync();

    /// <summary>Counts an alert of <paramref name="kind"/> raised in the area.</summary>
    [OneWay]
    Task RecordAlertAsync(string kind);

    /// <summary>Alerts raised in the area so far, by kind.</summary>
    Task<IReadOnlyDictionary<string, long>> GetAlertCountsAsync();
}
