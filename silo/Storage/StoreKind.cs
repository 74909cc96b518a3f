namespace CityTwin.Silo.Storage;

/// <summary>Where a silo keeps grain state, its event log and its reminders.</summary>
public enum StoreKind
{
    /// <summary>Process memory: fast, independent per store, lost when the store is disposed.</summary>
    Memory,

    /// <summary>A single SQLite file: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database reached through Npgsql.</summary>
    Postgres,
}
