namespace CityTwin.Silo.Reminders;

/// <summary>Durable storage of reminders (Orleans' IReminderTable), so they survive a silo restart.</summary>
public interface IReminderTable : IAsyncDisposable
{
    /// <summary>Creates the schema if it is missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the reminder identified by grain type, grain id and name.</summary>
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes a reminder; false when it did not exist.</summary>
    Task<bool> RemoveAsync(string grainType, string grainId, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads every reminder (a silo loads them all at start).</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default);
}
