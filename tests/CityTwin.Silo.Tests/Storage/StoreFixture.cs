using CityTwin.Silo.Storage;
using CityTwin.TestSupport;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// Targets for the store tests of one test class: a temp directory for SQLite files and one PostgreSQL
/// database, created on first use so memory and SQLite cases run (and PostgreSQL cases fail loudly) without a server.
/// </summary>
public sealed class StoreFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly SemaphoreSlim _databaseLock = new(1, 1);
    private PostgresDatabase? _database;

    /// <summary>Every store kind.</summary>
    public static TheoryData<StoreKind> AllKinds => new() { StoreKind.Memory, StoreKind.Sqlite, StoreKind.Postgres };

    /// <summary>The kinds whose data outlives the store object.</summary>
    public static TheoryData<StoreKind> DurableKinds => new() { StoreKind.Sqlite, StoreKind.Postgres };

    /// <summary>Options for a store of <paramref name="kind"/>: a new SQLite file per call, the class's PostgreSQL database.</summary>
    public async Task<StoreOptions> CreateTargetAsync(StoreKind kind)
    {
        string? connectionString = kind switch
        {
            StoreKind.Memory => null,
            StoreKind.Sqlite => _directory.Combine($"{Guid.NewGuid():N}.db"),
            StoreKind.Postgres => (await GetDatabaseAsync()).ConnectionString,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return new StoreOptions { Kind = kind, ConnectionString = connectionString };
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory.Dispose();
        _databaseLock.Dispose();
    }

    private async Task<PostgresDatabase> GetDatabaseAsync()
    {
        await _databaseLock.WaitAsync();
        try
        {
            return _database ??= await PostgresDatabase.CreateAsync();
        }
        finally
        {
            _databaseLock.Release();
        }
    }
}
