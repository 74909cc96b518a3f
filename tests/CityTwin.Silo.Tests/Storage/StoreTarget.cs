using CityTwin.Silo.Storage;
using CityTwin.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CityTwin.Silo.Tests.Storage;

/// <summary>
/// Where one test keeps its store: a new SQLite file, a new PostgreSQL database, or one <see cref="MemoryGrainStorage"/>.
/// Opening again reaches the same data (for memory: a new store over the same storage, as a fork holds it).
/// </summary>
public sealed class StoreTarget : IAsyncDisposable
{
    private readonly TempDirectory? _directory;
    private readonly PostgresDatabase? _database;
    private readonly MemoryGrainStorage? _memory;

    private StoreTarget(StoreKind kind, TempDirectory? directory, PostgresDatabase? database, MemoryGrainStorage? memory)
    {
        Kind = kind;
        _directory = directory;
        _database = database;
        _memory = memory;
    }

    /// <summary>Every store kind.</summary>
    public static TheoryData<StoreKind> AllKinds => new() { StoreKind.Memory, StoreKind.Sqlite, StoreKind.Postgres };

    /// <summary>The kinds whose data outlives the process.</summary>
    public static TheoryData<StoreKind> DurableKinds => new() { StoreKind.Sqlite, StoreKind.Postgres };

    /// <summary>The kind of store.</summary>
    public StoreKind Kind { get; }

    /// <summary>The SQLite file or the PostgreSQL connection string; null for memory.</summary>
    public string? ConnectionString => Kind switch
    {
        StoreKind.Sqlite => _directory!.Combine("twin.db"),
        StoreKind.Postgres => _database!.ConnectionString,
        _ => null,
    };

    /// <summary>A new, empty target of <paramref name="kind"/>.</summary>
    public static async Task<StoreTarget> CreateAsync(StoreKind kind) => kind switch
    {
        StoreKind.Memory => new StoreTarget(kind, null, null, new MemoryGrainStorage()),
        StoreKind.Sqlite => new StoreTarget(kind, new TempDirectory(), null, null),
        StoreKind.Postgres => new StoreTarget(kind, null, await PostgresDatabase.CreateAsync(), null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Opens a store on the target.</summary>
    public Task<SiloStore> OpenAsync() => Kind == StoreKind.Memory
        ? Task.FromResult(SiloStore.CreateMemory(_memory))
        : SiloStore.OpenAsync(new StoreOptions { Kind = Kind, ConnectionString = ConnectionString });

    /// <summary>Runs <paramref name="sql"/> on the database directly (not for memory); returns the first column of the first row.</summary>
    public async Task<object?> ExecuteAsync(string sql)
    {
        if (Kind == StoreKind.Postgres)
        {
            await using NpgsqlConnection connection = new(ConnectionString);
            await connection.OpenAsync();
            await using NpgsqlCommand command = new(sql, connection);
            return await command.ExecuteScalarAsync();
        }

        if (Kind == StoreKind.Sqlite)
        {
            // Unpooled, so the test leaves no handle on the file.
            await using SqliteConnection connection = new(new SqliteConnectionStringBuilder { DataSource = ConnectionString, Pooling = false }.ToString());
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }

        throw new InvalidOperationException("A memory store has no database to run SQL on.");
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> as a long.</summary>
    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ExecuteAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory?.Dispose();
    }
}
