namespace CityTwin.Silo.Tests.Storage;

/// <summary>A second grain type with the same state name as <see cref="ICounterGrain"/>, to show grain types never share a stored row.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/>, writes the state, returns the new total.</summary>
    Task<int> AddAsync(int amount);

    /// <summary>The total as this activation holds it.</summary>
    Task<int> GetAsync();
}
