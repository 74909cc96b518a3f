namespace CityTwin.Silo.Tests.Storage;

/// <summary>A grain with one persistent state ("entity" in the twin storage) and a reminder.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/> and a note, writes the state, returns the new total.</summary>
    Task<int> AddAsync(int amount, string note);

    /// <summary>The state as this activation holds it.</summary>
    Task<CounterState> GetAsync();

    /// <summary>Clears the stored state.</summary>
    Task ClearAsync();

    /// <summary>Registers (or replaces) reminder <paramref name="name"/>.</summary>
    Task RemindAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Removes reminder <paramref name="name"/> if it exists.</summary>
    Task ForgetAsync(string name);
}
