namespace CityTwin.Silo.Storage;

/// <summary>Which store a silo opens and where it lives.</summary>
public sealed class StoreOptions
{
    /// <summary>The default SQLite file, relative to the working directory.</summary>
    public const string DefaultSqlitePath = "data/citytwin.db";

    /// <summary>The kind of store; SQLite unless configured otherwise.</summary>
    public StoreKind Kind { get; init; } = StoreKind.Sqlite;

    /// <summary>
    /// For SQLite a file path or a Microsoft.Data.Sqlite connection string (default <see cref="DefaultSqlitePath"/>);
    /// for PostgreSQL an Npgsql connection string; ignored for memory.
    /// </summary>
    public string? ConnectionString { get; init; }
}
